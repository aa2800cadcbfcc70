import { and, asc, desc, isNull, sql } from 'drizzle-orm';
import { likePattern, type Tx } from '@atelier/platform';
import { clients, contacts } from '../db/schema.js';
import { contactFullName } from '../contacts/contact-queries.js';
import { clientSearchTop, contactSearchTop } from './search-functions.js';

/** Prefix matches rank first ("acm" → "ACME Corp" before "Bacme"), then alphabetical. */
const startsWith = (search: string) => likePattern(search).slice(1);

/** Clients whose name or email contains `q`, through the trigram indexes (see search-functions.ts). */
export function searchClients(tx: Tx, q: string, limit: number) {
  const pattern = likePattern(q);
  return tx
    .select()
    .from(clients)
    .where(and(isNull(clients.deletedAt), clientSearchTop(pattern, startsWith(q), limit)))
    .orderBy(desc(sql`${clients.name} ilike ${startsWith(q)}`), asc(clients.name), asc(clients.id))
    .limit(limit);
}

/** Contacts whose name or email contains `q`, or whose client's name does ("acm" finds ACME's people). */
export function searchContacts(tx: Tx, q: string, limit: number) {
  return tx
    .select()
    .from(contacts)
    .where(and(isNull(contacts.deletedAt), contactSearchTop(likePattern(q), limit)))
    .orderBy(desc(sql`${contactFullName} ilike ${startsWith(q)}`), asc(contactFullName), asc(contacts.id))
    .limit(limit);
}
