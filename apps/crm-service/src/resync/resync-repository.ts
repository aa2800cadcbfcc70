import { asc, getTableColumns, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '@atelier/platform';
import type { ClientRow } from '../clients/client-mapper.js';
import type { ContactRow } from '../contacts/contact-mapper.js';
import { clients, contacts } from '../db/schema.js';

const { searchKey: _c, ...clientColumns } = getTableColumns(clients);
const { searchKey: _k, ...contactColumns } = getTableColumns(contacts);

/** The agency's clients, deleted ones included, in id order after `afterId` (row-level security picks the agency). */
export const selectClientsPage = (tx: Tx, afterId: string, limit: number): Promise<ClientRow[]> =>
  tx.select(clientColumns).from(clients).where(gt(clients.id, afterId)).orderBy(asc(clients.id)).limit(limit);

/** The agency's contacts, deleted ones included, in id order after `afterId`. */
export const selectContactsPage = (tx: Tx, afterId: string, limit: number): Promise<ContactRow[]> =>
  tx.select(contactColumns).from(contacts).where(gt(contacts.id, afterId)).orderBy(asc(contacts.id)).limit(limit);

/** Every agency with clients, read by the schema owner across agencies (contacts always belong to a client). */
export async function selectAgencyIds(owner: Db): Promise<string[]> {
  const rows = await owner.execute<{ agency_id: string }>(sql`select distinct agency_id from ${clients} order by agency_id`);
  return rows.map((r) => r.agency_id);
}
