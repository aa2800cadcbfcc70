import { and, asc, count, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { ClientListQuery } from '@atelier/contracts';
import { anyOf, jsonParam, type CursorPosition, type Tx } from '@atelier/platform';
import { clients, contacts, notes } from '../db/schema.js';
import { clientSearchPage } from '../search/search-repository.js';
import type { ClientRow } from './client-mapper.js';

export const clientSortColumns = {
  name: clients.name,
  createdAt: clients.createdAt,
  updatedAt: clients.updatedAt,
  email: sql<string>`coalesce(${clients.email}, '')`,
} as const;
export type ClientSort = keyof typeof clientSortColumns;

/** The sort columns as crm.search_client_page names them. */
const searchSortColumns: Record<ClientSort, string> = { name: 'name', createdAt: 'created_at', updatedAt: 'updated_at', email: 'email' };

export interface ClientPageRequest {
  sort: ClientSort;
  order: 'asc' | 'desc';
  position: CursorPosition | null;
  /** Page size plus one, to know whether there is a next page. */
  maxRows: number;
}

/** One page of live clients with the list's filters, and the number of matches. */
export async function selectClientPage(tx: Tx, q: Pick<ClientListQuery, 'search' | 'isActive'>, page: ClientPageRequest): Promise<{ rows: ClientRow[]; total: number }> {
  const column = clientSortColumns[page.sort];
  const dir = page.order === 'asc' ? asc : desc;
  if (q.search) {
    const request = { sortColumn: searchSortColumns[page.sort], descending: page.order === 'desc', position: page.position, maxRows: page.maxRows };
    return clientSearchPage(tx, q.search, q.isActive, request, [dir(column), dir(clients.id)]);
  }
  const where = and(isNull(clients.deletedAt), q.isActive === undefined ? undefined : eq(clients.isActive, q.isActive));
  let pageWhere = where;
  if (page.position) {
    const value = page.sort === 'createdAt' || page.sort === 'updatedAt' ? sql`${page.position.value}::timestamptz` : sql`${page.position.value}`;
    const cmp = page.order === 'asc' ? sql`>` : sql`<`;
    pageWhere = and(where, sql`(${column}, ${clients.id}) ${cmp} (${value}, ${page.position.id}::uuid)`);
  }
  // Both at once: pipelined on the transaction's connection, one round trip instead of two.
  const [rows, [counted]] = await Promise.all([
    tx.select().from(clients).where(pageWhere).orderBy(dir(column), dir(clients.id)).limit(page.maxRows),
    tx.select({ n: count() }).from(clients).where(where),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

export async function selectClient(tx: Tx, id: string, lock?: 'update' | 'share'): Promise<ClientRow | undefined> {
  const q = tx
    .select()
    .from(clients)
    .where(and(eq(clients.id, id), isNull(clients.deletedAt)));
  const [row] = lock ? await q.for(lock) : await q;
  return row;
}

export type ClientRef = Pick<ClientRow, 'id' | 'name' | 'email' | 'country'>;

/**
 * Live clients by id, locked FOR UPDATE in id order (two writers locking overlapping sets cannot
 * deadlock). Every change that may make a contact primary locks its client first, so concurrent
 * "make primary" writes on one client run one after the other.
 */
export async function lockClientsById(tx: Tx, ids: string[]): Promise<ClientRef[]> {
  if (ids.length === 0) return [];
  return tx
    .select({ id: clients.id, name: clients.name, email: clients.email, country: clients.country })
    .from(clients)
    .where(and(anyOf(clients.id, ids), isNull(clients.deletedAt)))
    .orderBy(asc(clients.id))
    .for('update');
}

/** Live clients with one of the names or emails (lower-cased), oldest first, as references only (what linking a row to its client needs). */
export async function selectClientRefsByNameOrEmail(tx: Tx, names: string[], emails: string[]): Promise<ClientRef[]> {
  if (names.length === 0 && emails.length === 0) return [];
  return tx
    .select({ id: clients.id, name: clients.name, email: clients.email, country: clients.country })
    .from(clients)
    .where(and(isNull(clients.deletedAt), or(anyOf(clients.name, names, 'text'), anyOf(clients.email, emails, 'text'))))
    .orderBy(asc(clients.createdAt), asc(clients.id));
}

/** Live clients with one of the names or emails (lower-cased), oldest first, locked FOR UPDATE. */
export async function selectClientsByNameOrEmail(tx: Tx, names: string[], emails: string[]): Promise<ClientRow[]> {
  if (names.length === 0 && emails.length === 0) return [];
  return tx
    .select()
    .from(clients)
    .where(and(isNull(clients.deletedAt), or(anyOf(clients.name, names, 'text'), anyOf(clients.email, emails, 'text'))))
    .orderBy(asc(clients.createdAt), asc(clients.id))
    .for('update');
}

const asRecord = (r: ClientRow) => ({
  id: r.id,
  agency_id: r.agencyId,
  name: r.name,
  email: r.email,
  phone: r.phone,
  website: r.website,
  address_line1: r.addressLine1,
  address_line2: r.addressLine2,
  city: r.city,
  region: r.region,
  postal_code: r.postalCode,
  country: r.country,
  currency: r.currency,
  tax_id: r.taxId,
  is_active: r.isActive,
  version: r.version,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

const recordset = (rows: ClientRow[]): SQL => sql`json_to_recordset(${jsonParam(rows.map(asRecord))}) as x(
  id uuid, agency_id uuid, name text, email text, phone text, website text, address_line1 text, address_line2 text,
  city text, region text, postal_code text, country text, currency text, tax_id text, is_active boolean, version integer,
  created_at timestamptz, updated_at timestamptz)`;

/** Inserts any number of new clients in one statement. */
export async function insertClients(tx: Tx, rows: ClientRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into ${clients} (id, agency_id, name, email, phone, website, address_line1, address_line2, city, region, postal_code,
      country, currency, tax_id, is_active, version, created_at, updated_at)
    select x.id, x.agency_id, x.name, x.email, x.phone, x.website, x.address_line1, x.address_line2, x.city, x.region, x.postal_code,
      x.country, x.currency, x.tax_id, x.is_active, x.version, x.created_at, x.updated_at
    from ${recordset(rows)}`);
}

/** Writes the given state of any number of live clients in one statement (versions as given: the service bumps them). */
export async function updateClients(tx: Tx, rows: ClientRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    update ${clients} c set name = x.name, email = x.email, phone = x.phone, website = x.website, address_line1 = x.address_line1,
      address_line2 = x.address_line2, city = x.city, region = x.region, postal_code = x.postal_code, country = x.country,
      currency = x.currency, tax_id = x.tax_id, is_active = x.is_active, version = x.version, updated_at = x.updated_at
    from ${recordset(rows)}
    where c.id = x.id and c.deleted_at is null`);
}

export async function softDeleteClient(tx: Tx, id: string): Promise<ClientRow | undefined> {
  const [row] = await tx
    .update(clients)
    .set({ deletedAt: sql`now()`, version: sql`${clients.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(clients.id, id), isNull(clients.deletedAt)))
    .returning();
  return row;
}

/** Soft-deletes a client's live contacts and notes (the client's own transaction, no event per row). */
export async function softDeleteClientChildren(tx: Tx, clientId: string): Promise<void> {
  await tx
    .update(contacts)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()`, version: sql`${contacts.version} + 1` })
    .where(and(eq(contacts.clientId, clientId), isNull(contacts.deletedAt)));
  await tx
    .update(notes)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()`, version: sql`${notes.version} + 1` })
    .where(and(eq(notes.clientId, clientId), isNull(notes.deletedAt)));
}
