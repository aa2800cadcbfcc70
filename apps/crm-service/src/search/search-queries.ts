import { and, asc, desc, isNull } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { clients, contacts } from '../db/schema.js';
import { contactFullName } from '../contacts/contact-queries.js';
import { clientSearchTop, contactSearchTop, keyStartsWith } from './search-functions.js';

/** Clients whose name or email contains `q`; names starting with it first ("acm" → "ACME Corp" before "Bacme"), then alphabetical. */
export function searchClients(tx: Tx, q: string, limit: number) {
  return tx
    .select()
    .from(clients)
    .where(and(isNull(clients.deletedAt), clientSearchTop(q, limit)))
    .orderBy(desc(keyStartsWith(clients.searchKey, q)), asc(clients.name), asc(clients.id))
    .limit(limit);
}

/** Contacts whose name or email contains `q`, or whose client's name does ("acm" finds ACME's people). */
export function searchContacts(tx: Tx, q: string, limit: number) {
  return tx
    .select()
    .from(contacts)
    .where(and(isNull(contacts.deletedAt), contactSearchTop(q, limit)))
    .orderBy(desc(keyStartsWith(contacts.searchKey, q)), asc(contactFullName), asc(contacts.id))
    .limit(limit);
}
