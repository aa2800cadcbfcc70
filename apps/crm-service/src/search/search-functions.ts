import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { CursorPosition, Tx } from '@atelier/platform';
import { clients, contacts } from '../db/schema.js';

/*
 * Search matches a term against each row's `search_key` (letters and digits of name and email,
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

export interface SearchPage {
  /** Exact number of matches, with the list's other filters. */
  total: number;
  /** The page, in list order. */
  ids: string[];
}

async function searchPage(tx: Tx, call: SQL): Promise<SearchPage> {
  const [row] = await tx.execute<{ total: string; ids: string[] }>(sql`select total, ids from ${call}`);
  return { total: Number(row?.total ?? 0), ids: row?.ids ?? [] };
}

const cursorArgs = (p: SearchPageRequest): SQL =>
  sql`${p.sortColumn}, ${p.descending}, ${p.position?.value ?? null}::text, ${p.position?.id ?? null}::uuid, ${p.maxRows}::int`;

/** A page of the client list for `term` (with its `isActive` filter) and the number of matches. */
export const clientSearchPage = (tx: Tx, term: string, isActive: boolean | undefined, page: SearchPageRequest): Promise<SearchPage> =>
  searchPage(tx, sql`crm.search_client_page(${term}, ${isActive ?? null}::boolean, ${cursorArgs(page)})`);

/** A page of the contact list for `term` (with its `clientId` and `isPrimary` filters) and the number of matches. */
export const contactSearchPage = (tx: Tx, term: string, clientId: string | undefined, isPrimary: boolean | undefined, page: SearchPageRequest): Promise<SearchPage> =>
  searchPage(tx, sql`crm.search_contact_page(${term}, ${clientId ?? null}::uuid, ${isPrimary ?? null}::boolean, ${cursorArgs(page)})`);

/** Clients for the search box: names starting with the term, topped up with other matches. */
export const clientSearchTop = (term: string, limit: number): SQL => sql`${clients.id} in (select crm.search_client_top(${term}, ${limit}))`;

/** Contacts for the search box: by their own name or email, and those of the clients the box shows. */
export const contactSearchTop = (term: string, limit: number): SQL => sql`${contacts.id} in (select crm.search_contact_top(${term}, ${limit}))`;

/** True for rows whose key starts with the term (a name starting with it): they rank first. */
export const keyStartsWith = (key: AnyPgColumn, term: string): SQL => sql`${key} like ltrim(crm.search_like(${term}), '%')`;
