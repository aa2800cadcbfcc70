import { and, asc, desc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { union } from 'drizzle-orm/pg-core';
import { likePattern, type Tx } from '@atelier/platform';
import { clients, contacts } from '../db/schema.js';
import { contactFullName, contactMatches } from '../contacts/contact-queries.js';

/*
 * Performance note. These filters are written on exactly the indexed expressions, and the
 * planner does use the trigram indexes for them when row-level security is not in the way. Under
 * FORCE RLS as the service role, it cannot: ILIKE is not LEAKPROOF, so Postgres refuses to use
 * it as an index condition ahead of the tenant policy and filters every row of the agency
 * instead. Making search index-driven needs narrow SECURITY DEFINER search functions (owned by the
 * migration role, reading app.agency_id themselves), which is a migration: raised with the lead.
 */

/** Prefix matches rank first ("acm" → "ACME Corp" before "Bacme"), then alphabetical. */
const startsWith = (search: string) => likePattern(search).slice(1);

/**
 * Clients whose name or email contains `q`. Both columns have trigram GIN indexes; an OR of the
 * two indexed ILIKEs plans as a BitmapOr of them (where RLS allows, see above).
 */
export function searchClients(tx: Tx, q: string, limit: number) {
  const pattern = likePattern(q);
  return tx
    .select()
    .from(clients)
    .where(and(isNull(clients.deletedAt), or(ilike(clients.name, pattern), ilike(clients.email, pattern))))
    .orderBy(desc(sql`${clients.name} ilike ${startsWith(q)}`), asc(clients.name), asc(clients.id))
    .limit(limit);
}

/**
 * Contacts whose name or email contains `q`, or whose client's name does ("acm" finds ACME's
 * people). Written as a UNION of two index-friendly queries rather than one OR across the join:
 * an OR spanning two tables cannot use either side's index and would scan every contact.
 */
export function searchContacts(tx: Tx, q: string, limit: number) {
  const own = tx.select({ id: contacts.id }).from(contacts).where(and(isNull(contacts.deletedAt), contactMatches(q)));
  const byClient = tx
    .select({ id: contacts.id })
    .from(contacts)
    .innerJoin(clients, eq(clients.id, contacts.clientId))
    .where(and(isNull(contacts.deletedAt), isNull(clients.deletedAt), ilike(clients.name, likePattern(q))));
  return tx
    .select()
    .from(contacts)
    .where(inArray(contacts.id, union(own, byClient)))
    .orderBy(desc(sql`${contactFullName} ilike ${startsWith(q)}`), asc(contactFullName), asc(contacts.id))
    .limit(limit);
}
