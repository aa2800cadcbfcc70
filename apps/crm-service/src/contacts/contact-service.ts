import type { ContactListQuery, CreateContactBody, UpdateContactBody } from '@atelier/contracts';
import {
  conflictError,
  decodeCursor,
  encodeCursor,
  invalidField,
  notFoundError,
  tenantTx,
  writeEvents,
  type Db,
  type EventToWrite,
  type Principal,
  type Tx, transactionNow } from '@atelier/platform';
import { clientNotFound, requireClient } from '../clients/client-service.js';
import { outbox } from '../db/schema.js';
import { ContactBatch, type ContactBatchResult } from './contact-batch.js';
import { mapPrimaryConflict } from './contact-conflicts.js';
import { contactName, toContactDto, toContactFields, type ContactRow } from './contact-mapper.js';
import { selectContact, selectContactPage, softDeleteContacts, type ContactSort } from './contact-repository.js';

const contactNotFound = () => notFoundError('contact.not_found', 'Contact not found');

const cursorValue = (row: ContactRow, sort: ContactSort): string => {
  switch (sort) {
    case 'createdAt':
      return row.createdAt.toISOString();
    case 'firstName':
      return row.firstName;
    case 'email':
      return row.email ?? '';
    default:
      return row.lastName ?? '';
  }
};

/** Same conventions as the client list: sort + id keyset cursor, `total` with the same filters, one snapshot. */
export function listContacts(db: Db, who: Principal, q: ContactListQuery, options: { requireClientId?: string } = {}) {
  const sort = q.sort ?? 'lastName';
  const order = q.order ?? (sort === 'createdAt' ? 'desc' : 'asc');
  const cursorKey = `contacts:${sort}:${order}`;
  const position = decodeCursor(q.cursor, cursorKey, sort === 'createdAt' ? 'timestamp' : 'text');
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      if (options.requireClientId) await requireClient(tx, options.requireClientId);
      const { rows, total } = await selectContactPage(tx, q, { sort, order, position, maxRows: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: cursorKey, value: cursorValue(last, sort), id: last.id }) : null;
      return { rows: page, nextCursor, total };
    },
    { mode: 'snapshot' },
  );
}

export async function getContact(db: Db, who: Principal, id: string): Promise<ContactRow> {
  const row = await tenantTx(db, who.agencyId, (tx) => selectContact(tx, id));
  if (!row) throw contactNotFound();
  return row;
}

type ContactEvent = EventToWrite<'crm.contact.created.v1'> | EventToWrite<'crm.contact.updated.v1'>;

/** Created/updated events carry the whole contact and name its client, so the timeline files them there. */
const contactEvent = (who: Principal, name: ContactEvent['name'], row: ContactRow): ContactEvent => ({
  name,
  agencyId: who.agencyId,
  actorId: who.userId,
  payload: { clientId: row.clientId, contact: toContactDto(row), version: row.version },
});

/** A created or updated event per contact of a saved batch (demoted primaries first, as they were demoted first). */
export async function contactEventsOf(tx: Tx, who: Principal, result: ContactBatchResult): Promise<void> {
  const demotedFirst = [...result.updated].sort((a, b) => Number(a.isPrimary) - Number(b.isPrimary));
  await writeEvents(tx, outbox, [
    ...demotedFirst.map((row) => contactEvent(who, 'crm.contact.updated.v1', row)),
    ...result.created.map((row) => contactEvent(who, 'crm.contact.created.v1', row)),
  ]);
}

export function createContact(db: Db, who: Principal, clientId: string, body: CreateContactBody): Promise<ContactRow> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const batch = await ContactBatch.open(tx, who.agencyId, [clientId], await transactionNow(tx));
    if (!batch.client(clientId)) throw clientNotFound();
    const row = batch.create(clientId, toContactFields(body), body.isPrimary);
    await contactEventsOf(tx, who, await batch.save(tx));
    return row;
  }).catch(mapPrimaryConflict);
}

/**
 * Moving a contact (`clientId`) or changing it locks its clients first (see `ContactBatch`), then
 * re-reads the contact under that lock. A moved contact is primary in its new client only when the
 * body says `isPrimary: true`.
 */
export function updateContact(db: Db, who: Principal, id: string, body: UpdateContactBody): Promise<ContactRow> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const seen = await selectContact(tx, id);
    if (!seen) throw contactNotFound();
    const targetId = body.clientId ?? seen.clientId;
    const batch = await ContactBatch.open(tx, who.agencyId, [seen.clientId, targetId], await transactionNow(tx));
    if (!batch.client(targetId)) {
      if (targetId !== seen.clientId) throw invalidField('contact.client_not_found', 'clientId', 'is not a client of this agency');
      throw contactNotFound(); // its client was deleted meanwhile, and the contact with it
    }
    const locked = await selectContact(tx, id, { lock: true });
    if (!locked) throw contactNotFound();
    if (locked.clientId !== seen.clientId) throw conflictError('contact.moved_concurrently', 'The contact was moved at the same time; try again');
    const row = batch.adopt(locked);
    batch.change(row, toContactFields(body), { isPrimary: body.isPrimary, moveTo: targetId, touch: true });
    await contactEventsOf(tx, who, await batch.save(tx));
    return row;
  }).catch(mapPrimaryConflict);
}

const deletedEvent = (who: Principal, row: ContactRow): EventToWrite<'crm.contact.deleted.v1'> => ({
  name: 'crm.contact.deleted.v1',
  agencyId: who.agencyId,
  actorId: who.userId,
  payload: { clientId: row.clientId, contactId: row.id, name: contactName(row), version: row.version, deletedAt: (row.deletedAt ?? new Date()).toISOString() },
});

/** Soft delete. Deleting the primary leaves the client without one: we do not guess a successor. */
export function deleteContact(db: Db, who: Principal, id: string): Promise<void> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const [row] = await softDeleteContacts(tx, [id]);
    if (!row) throw contactNotFound();
    await writeEvents(tx, outbox, [deletedEvent(who, row)]);
  });
}

/** Soft-deletes the given contacts that exist in the agency; unknown ids are skipped. Returns how many were deleted. */
export function bulkDeleteContacts(db: Db, who: Principal, ids: string[]): Promise<number> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const rows = await softDeleteContacts(tx, [...new Set(ids.map((i) => i.toLowerCase()))]);
    await writeEvents(
      tx,
      outbox,
      rows.map((row) => deletedEvent(who, row)),
    );
    return rows.length;
  });
}
