import { and, asc, desc, isNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { CursorPosition, Tx } from '@atelier/platform';
import { clients, contacts } from '../db/schema.js';

/*
 * Search matches a term against each row's `search_key` (letters and digits of name, email and phone,
 * lower case; migration "search_keys"). Under forced RLS the planner cannot use an index for
 * LIKE, so the matching happens in the crm.search_* functions, which filter by the same
 * app.agency_id as the policy and return ids; the rows are then read through RLS as usual.
 */

export interface SearchPageRequest {
  /** The list's sort, as the function names it (a database column). */
  sortColumn: string;
  descending: boolean;
  position: CursorPosition | null;
  /** Page size plus one. */
  maxRows: number;
}

const cursorArgs = (p: SearchPageRequest): SQL =>
  sql`${p.sortColumn}, ${p.descending}, ${p.position?.value ?? null}::text, ${p.position?.id ?? null}::uuid, ${p.maxRows}::int`;

/**
 * One statement: the function's page of ids and exact total, joined to the rows themselves
 * (read through RLS), in list order. A page with no rows still comes back as one row with the total.
 */
const pageOf = (call: SQL) => sql`(select total, ids from ${call}) as p`;
const totalOf = (rows: { total: string }[]) => Number(rows[0]?.total ?? 0);

/** A page of the client list for `term` (with its `isActive` filter), in `order`, and the number of matches. */
export async function clientSearchPage(tx: Tx, term: string, isActive: boolean | undefined, page: SearchPageRequest, order: SQL[]) {
  const rows = await tx
    .select({ row: clients, total: sql<string>`p.total` })
    .from(pageOf(sql`crm.search_client_page(${term}, ${isActive ?? null}::boolean, ${cursorArgs(page)})`))
    .leftJoin(clients, and(sql`${clients.id} = any(p.ids)`, isNull(clients.deletedAt)))
    .orderBy(...order);
  return { total: totalOf(rows), rows: rows.flatMap((r) => (r.row ? [r.row] : [])) };
}

/** A page of the contact list for `term` (with its `clientId` and `isPrimary` filters), in `order`, and the number of matches. */
export async function contactSearchPage(tx: Tx, term: string, clientId: string | undefined, isPrimary: boolean | undefined, page: SearchPageRequest, order: SQL[]) {
  const rows = await tx
    .select({ row: contacts, total: sql<string>`p.total` })
    .from(pageOf(sql`crm.search_contact_page(${term}, ${clientId ?? null}::uuid, ${isPrimary ?? null}::boolean, ${cursorArgs(page)})`))
    .leftJoin(contacts, and(sql`${contacts.id} = any(p.ids)`, isNull(contacts.deletedAt)))
    .orderBy(...order);
  return { total: totalOf(rows), rows: rows.flatMap((r) => (r.row ? [r.row] : [])) };
}

/** Clients for the search box: names starting with the term, topped up with other matches. */
const clientSearchTop = (term: string, limit: number): SQL => sql`${clients.id} in (select crm.search_client_top(${term}, ${limit}))`;

/** Contacts for the search box: by their own name, email, phone or title, and those of the clients the box shows. */
const contactSearchTop = (term: string, limit: number): SQL => sql`${contacts.id} in (select crm.search_contact_top(${term}, ${limit}))`;

/** True for rows whose key starts with the term (a name starting with it): they rank first. */
const keyStartsWith = (key: AnyPgColumn, term: string): SQL => sql`${key} like ltrim(crm.search_like(${term}), '%')`;

/** Clients whose name, email or phone contains `q`; names starting with it first ("acm" → "ACME Corp" before "Bacme"), then alphabetical. */
export function searchClients(tx: Tx, q: string, limit: number) {
  return tx
    .select()
    .from(clients)
    .where(and(isNull(clients.deletedAt), clientSearchTop(q, limit)))
    .orderBy(desc(keyStartsWith(clients.searchKey, q)), asc(clients.name), asc(clients.id))
    .limit(limit);
}

/** "First Last", the order search results are shown in. */
const contactFullName = sql<string>`(coalesce(${contacts.firstName}, '') || ' ' || coalesce(${contacts.lastName}, ''))`;

/** Contacts whose name, email, phone or title contains `q`, and those of the clients found ("acm" finds ACME's people). */
export function searchContacts(tx: Tx, q: string, limit: number) {
  return tx
    .select()
    .from(contacts)
    .where(and(isNull(contacts.deletedAt), contactSearchTop(q, limit)))
    .orderBy(desc(keyStartsWith(contacts.searchKey, q)), asc(contactFullName), asc(contacts.id))
    .limit(limit);
}
