import { and, asc, count, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { ContactListQuery } from '@atelier/contracts';
import { anyOf, jsonParam, type CursorPosition, type Tx } from '@atelier/platform';
import { contacts } from '../db/schema.js';
import { contactSearchPage } from '../search/search-repository.js';
import type { ContactRow } from './contact-mapper.js';


export const contactSortColumns = {
  lastName: sql<string>`coalesce(${contacts.lastName}, '')`,
  firstName: contacts.firstName,
  email: sql<string>`coalesce(${contacts.email}, '')`,
  createdAt: contacts.createdAt,
} as const;
export type ContactSort = keyof typeof contactSortColumns;

/** The sort columns as crm.search_contact_page names them. */
const searchSortColumns: Record<ContactSort, string> = { lastName: 'last_name', firstName: 'first_name', email: 'email', createdAt: 'created_at' };

export interface ContactPageRequest {
  sort: ContactSort;
  order: 'asc' | 'desc';
  position: CursorPosition | null;
  maxRows: number;
}

/** One page of live contacts with the list's filters, and the number of matches. */
export async function selectContactPage(tx: Tx, q: Pick<ContactListQuery, 'search' | 'clientId' | 'isPrimary'>, page: ContactPageRequest): Promise<{ rows: ContactRow[]; total: number }> {
  const column = contactSortColumns[page.sort];
  const dir = page.order === 'asc' ? asc : desc;
  if (q.search) {
    const request = { sortColumn: searchSortColumns[page.sort], descending: page.order === 'desc', position: page.position, maxRows: page.maxRows };
    return contactSearchPage(tx, q.search, q.clientId, q.isPrimary, request, [dir(column), dir(contacts.id)]);
  }
  const where = and(
    isNull(contacts.deletedAt),
    q.clientId ? eq(contacts.clientId, q.clientId) : undefined,
    q.isPrimary === undefined ? undefined : eq(contacts.isPrimary, q.isPrimary),
  );
  let pageWhere = where;
  if (page.position) {
    const value = page.sort === 'createdAt' ? sql`${page.position.value}::timestamptz` : sql`${page.position.value}`;
    const cmp = page.order === 'asc' ? sql`>` : sql`<`;
    pageWhere = and(where, sql`(${column}, ${contacts.id}) ${cmp} (${value}, ${page.position.id}::uuid)`);
  }
  const rows = await tx.select().from(contacts).where(pageWhere).orderBy(dir(column), dir(contacts.id)).limit(page.maxRows);
  const total = (await tx.select({ n: count() }).from(contacts).where(where))[0]?.n ?? 0;
  return { rows, total };
}

export async function selectContact(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<ContactRow | undefined> {
  const query = tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), isNull(contacts.deletedAt)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** The columns the batch reads: all but the search key. */
const contactColumns = {
  id: contacts.id,
  agencyId: contacts.agencyId,
  clientId: contacts.clientId,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  email: contacts.email,
  phone: contacts.phone,
  phoneE164: contacts.phoneE164,
  title: contacts.title,
  isPrimary: contacts.isPrimary,
  version: contacts.version,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
  deletedAt: contacts.deletedAt,
};

/**
 * The current primaries of the clients (locked) and which of them have any live contact. Call with
 * the clients locked, so neither can change before the transaction ends. The primaries are found
 * through the one-primary index (its predicate written out, not as a parameter, so the planner
 * can use the partial index); a client with a primary has contacts, so only the others are looked
 * up again, each with one probe of the client index (an import batch names the same clients
 * again and again: after its first batch that is usually none).
 */
export async function selectPrimaryStates(tx: Tx, clientIds: string[]): Promise<{ primaries: ContactRow[]; withContacts: Set<string> }> {
  if (clientIds.length === 0) return { primaries: [], withContacts: new Set() };
  // A probe of the one-primary index per client, locked in id order (uuids sort as Postgres sorts
  // them when compared as lower-case text).
  const ids = [...new Set(clientIds.map((id) => id.toLowerCase()))].sort();
  const primaries = await probeContacts(
    tx,
    sql`unnest(${sql.param(ids)}::uuid[]) with ordinality as k(client_id, n)`,
    sql`c.client_id = k.client_id and c.is_primary and c.deleted_at is null`,
    sql`k.n`,
  );
  const withContacts = new Set(primaries.map((r) => r.clientId));
  const others = ids.filter((id) => !withContacts.has(id));
  if (others.length) {
    // LIMIT keeps the subquery a probe per client (the agency comes from row-level security): as a
    // semi join it can hash every contact of the agency.
    const found = await tx.execute<{ id: string }>(sql`
      select k.id from unnest(${sql.param(others)}::uuid[]) as k(id)
      cross join lateral (select 1 from ${contacts} c where c.client_id = k.id and c.deleted_at is null limit 1) as live`);
    for (const r of found) withContacts.add(r.id);
  }
  return { primaries, withContacts };
}

/**
 * Live contacts found by one index probe per key, locked: `keys` is a relation `k`, `match` the
 * probe's condition on `c`. OFFSET 0 keeps each probe a subquery of its own, and only the
 * conditions written in `match` reach it: the planner cannot turn the probes into a join that
 * hashes or walks every contact of the agency, which it does with a stale estimate of the table
 * (an import's first minutes into a table that was empty). Deleted contacts are left out after
 * the probe when `match` leaves `deleted_at` out (so that an index without that predicate is the
 * one that fits).
 */
async function probeContacts(tx: Tx, keys: SQL, match: SQL, order: SQL): Promise<ContactRow[]> {
  return lockedContacts(tx, sql`${keys} cross join lateral (select c.* from ${contacts} c where ${match} offset 0) as x`, sql`true`, order);
}

/** Live contacts of `from` (a relation `x` of contact rows) that meet `where`, locked, as rows of the batch. */
async function lockedContacts(tx: Tx, from: SQL, where: SQL, order: SQL): Promise<ContactRow[]> {
  const rows = await tx.execute<Record<string, unknown>>(sql`
    select x.id, x.agency_id, x.client_id, x.first_name, x.last_name, x.email, x.phone, x.phone_e164, x.title, x.is_primary, x.version,
      to_json(x.created_at)#>>'{}' as created_at, to_json(x.updated_at)#>>'{}' as updated_at
    from ${from}
    where x.deleted_at is null and ${where}
    order by ${order}
    for update of x`);
  return rows.map((r) => ({
    id: r.id as string,
    agencyId: r.agency_id as string,
    clientId: r.client_id as string,
    firstName: r.first_name as string,
    lastName: r.last_name as string | null,
    email: r.email as string | null,
    phone: r.phone as string | null,
    phoneE164: r.phone_e164 as string | null,
    title: r.title as string | null,
    isPrimary: r.is_primary as boolean,
    version: r.version as number,
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    deletedAt: null,
  }));
}

/** `unnest` of parallel arrays as a relation of keys (one parameter per column, however many keys). */
const keyRelation = (columns: { name: string; type: 'uuid' | 'text'; values: (string | null)[] }[]) =>
  sql`unnest(${sql.join(
    columns.map((c) => sql`${sql.param(c.values)}::${sql.raw(c.type)}[]`),
    sql`, `,
  )}) as k(${sql.raw(columns.map((c) => c.name).join(', '))})`;

export interface ContactKeys {
  /** (client, email) pairs, email lower-cased. */
  emails: { clientId: string; email: string }[];
  /** (client, last name, first name); `withEmailToo` false: only contacts without an email may match. */
  names: { clientId: string; lastName: string | null; firstName: string; withEmailToo: boolean }[];
}

/** The conditions matching contacts by name keys: each key set an `in (select unnest ...)`; columns of `x` when `alias`. */
function nameConditions(names: ContactKeys['names'], alias = false): SQL[] {
  const col = (column: typeof contacts.clientId | typeof contacts.lastName | typeof contacts.firstName) => (alias ? sql.raw(`x.${column.name}`) : sql`${column}`);
  const conditions: SQL[] = [];
  const full = names.filter((k) => k.lastName !== null);
  if (full.length) {
    conditions.push(sql`(${col(contacts.clientId)}, ${col(contacts.lastName)}, ${col(contacts.firstName)}) in (select * from ${keyRelation([
      { name: 'client_id', type: 'uuid', values: full.map((k) => k.clientId) },
      { name: 'last_name', type: 'text', values: full.map((k) => k.lastName) },
      { name: 'first_name', type: 'text', values: full.map((k) => k.firstName) },
    ])})`);
  }
  const firstOnly = names.filter((k) => k.lastName === null);
  if (firstOnly.length) {
    conditions.push(sql`(${col(contacts.lastName)} is null and (${col(contacts.clientId)}, ${col(contacts.firstName)}) in (select * from ${keyRelation([
      { name: 'client_id', type: 'uuid', values: firstOnly.map((k) => k.clientId) },
      { name: 'first_name', type: 'text', values: firstOnly.map((k) => k.firstName) },
    ])}))`);
  }
  return conditions;
}

/**
 * The live contacts with exactly the given keys, locked, in creation order (the oldest contact
 * with an email is the one a row matches). Up to three statements, each linear in the batch and
 * in what it reads, whatever the plan (generic or custom) and whatever the planner believes of the
 * table's size (it grows during an import):
 * - by email: the agency's email index finds the candidates (`email = any(...)` as an index
 *   condition), the (client, email) pairs are then one hashed `in (select unnest ...)`;
 * - by name among contacts without an email: the same index finds those (`email is null`);
 * - by name among all contacts (only for rows without an email): a hashed `in (select unnest ...)`
 *   probed per live contact of the agency. A join on the name keys could be a nested loop over
 *   every contact of a common name, which turns quadratic.
 * Emails are stored lower-cased by every writer, so equality is a case-insensitive match.
 */
export async function selectContactsByKeys(tx: Tx, agencyId: string, keys: ContactKeys): Promise<ContactRow[]> {
  const live = and(eq(contacts.agencyId, agencyId), isNull(contacts.deletedAt));
  const byId = new Map<string, ContactRow>();
  if (keys.emails.length) {
    // Without `deleted_at` in the probe only the agency's email index fits it.
    const found = await probeContacts(
      tx,
      keyRelation([
        { name: 'client_id', type: 'uuid', values: keys.emails.map((k) => k.clientId) },
        { name: 'email', type: 'text', values: keys.emails.map((k) => k.email) },
      ]),
      sql`c.agency_id = ${agencyId} and c.email = k.email and c.client_id = k.client_id`,
      sql`x.created_at, x.id`,
    );
    for (const row of found) byId.set(row.id, row);
  }
  const withoutEmail = nameConditions(
    keys.names.filter((k) => !k.withEmailToo),
    true,
  );
  if (withoutEmail.length) {
    // The email index finds the contacts without one (`email is null`), in a subquery of its own
    // so that the partial client index (which walks every contact of the agency) cannot take its place.
    const found = await lockedContacts(tx, sql`(select c.* from ${contacts} c where c.agency_id = ${agencyId} and c.email is null offset 0) as x`, sql`(${or(...withoutEmail)})`, sql`x.created_at, x.id`);
    for (const row of found) byId.set(row.id, row);
  }
  const anyEmail = nameConditions(keys.names.filter((k) => k.withEmailToo));
  if (anyEmail.length) {
    for (const row of await tx.select(contactColumns).from(contacts).where(and(live, or(...anyEmail))).orderBy(asc(contacts.createdAt), asc(contacts.id)).for('update')) byId.set(row.id, row);
  }
  // Uuids sort as Postgres sorts them when compared as lower-case text.
  return [...byId.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const asRecord = (r: ContactRow) => ({
  id: r.id,
  agency_id: r.agencyId,
  client_id: r.clientId,
  first_name: r.firstName,
  last_name: r.lastName,
  email: r.email,
  phone: r.phone,
  phone_e164: r.phoneE164,
  title: r.title,
  is_primary: r.isPrimary,
  version: r.version,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

const recordset = (rows: ContactRow[]) => sql`json_to_recordset(${jsonParam(rows.map(asRecord))}) as x(
  id uuid, agency_id uuid, client_id uuid, first_name text, last_name text, email text, phone text, phone_e164 text, title text,
  is_primary boolean, version integer, created_at timestamptz, updated_at timestamptz)`;

export async function insertContacts(tx: Tx, rows: ContactRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into ${contacts} (id, agency_id, client_id, first_name, last_name, email, phone, phone_e164, title, is_primary, version, created_at, updated_at)
    select x.id, x.agency_id, x.client_id, x.first_name, x.last_name, x.email, x.phone, x.phone_e164, x.title, x.is_primary, x.version, x.created_at, x.updated_at
    from ${recordset(rows)}`);
}

/** Writes the given state of any number of live contacts in one statement (versions as given: `ContactBatch` bumps them). */
export async function updateContacts(tx: Tx, rows: ContactRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    update ${contacts} c set client_id = x.client_id, first_name = x.first_name, last_name = x.last_name, email = x.email, phone = x.phone,
      phone_e164 = x.phone_e164, title = x.title, is_primary = x.is_primary, version = x.version, updated_at = x.updated_at
    from ${recordset(rows)}
    where c.id = x.id and c.deleted_at is null`);
}

/** Soft-deletes the live contacts among `ids` (locked in id order first, so overlapping bulk deletes cannot deadlock). */
export async function softDeleteContacts(tx: Tx, ids: string[]): Promise<ContactRow[]> {
  if (ids.length === 0) return [];
  const live = and(anyOf(contacts.id, ids), isNull(contacts.deletedAt));
  await tx.select({ id: contacts.id }).from(contacts).where(live).orderBy(asc(contacts.id)).for('update');
  return tx
    .update(contacts)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()`, version: sql`${contacts.version} + 1` })
    .where(live)
    .returning();
}
