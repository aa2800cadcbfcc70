import { and, asc, desc, isNull } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { clients, contacts } from '../db/schema.js';
import { contactFullName } from '../contacts/contact-queries.js';
import { clientSearchTop, contactSearchTop, keyStartsWith } from './search-functions.js';

/** Clients whose name, email or phone contains `q`; names starting with it first ("acm" → "ACME Corp" before "Bacme"), then alphabetical. */
export function searchClients(tx: Tx, q: string, limit: number) {
  return tx
    .select()
    .from(clients)
    .where(and(isNull(clients.deletedAt), clientSearchTop(q, limit)))
    .orderBy(desc(keyStartsWith(clients.searchKey, q)), asc(clients.name), asc(clients.id))
    .limit(limit);
}

/** Contacts whose name, email, phone or title contains `q`, and those of the clients found ("acm" finds ACME's people). */
export function searchContacts(tx: Tx, q: string, limit: number) {
  return tx
    .select()
    .from(contacts)
    .where(and(isNull(contacts.deletedAt), contactSearchTop(q, limit)))
    .orderBy(desc(keyStartsWith(contacts.searchKey, q)), asc(contactFullName), asc(contacts.id))
    .limit(limit);
}
