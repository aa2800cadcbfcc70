import { sql, type SQL } from 'drizzle-orm';
import { clients, contacts } from '../db/schema.js';

/*
 * Search goes through crm.search_*_ids (migration "search_functions"): under forced RLS the
 * planner cannot use the trigram indexes for ILIKE, the functions can. They filter by the same
 * app.agency_id as the policy, and the rows are then read through RLS as usual.
 */

/** Clients whose name or email matches the LIKE `pattern`. */
export const clientSearch = (pattern: string): SQL => sql`${clients.id} = any(array(select crm.search_client_ids(${pattern})))`;

/** Contacts whose name or email matches, or (with `byClientName`) whose client's name does. */
export const contactSearch = (pattern: string, byClientName: boolean): SQL =>
  sql`${contacts.id} = any(array(select crm.search_contact_ids(${pattern}, ${byClientName})))`;

/** At most `limit` prefix and `limit` other client matches, for the search box (ranked by the caller). */
export const clientSearchTop = (pattern: string, prefix: string, limit: number): SQL =>
  sql`${clients.id} = any(array(select crm.search_client_top(${pattern}, ${prefix}, ${limit})))`;

/** At most `limit` contacts matching by their own name or email and `limit` matching by their client's name. */
export const contactSearchTop = (pattern: string, limit: number): SQL => sql`${contacts.id} = any(array(select crm.search_contact_top(${pattern}, ${limit})))`;
