import type { ClientListQuery, CreateClientBody, UpdateClientBody } from '@atelier/contracts';
import { decodeCursor, encodeCursor, notFoundError, tenantTx, writeEvents, type AttachmentService, type Db, type EventToWrite, type Principal, type Tx, transactionNow } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { applyClientColumns, newClientRow, toClientColumns, toClientDto, type ClientRow } from './client-mapper.js';
import { insertClients, selectClient, selectClientPage, softDeleteClient, softDeleteClientChildren, updateClients, type ClientSort } from './client-repository.js';

/** Who a write is for and by: a request's principal, or the user who started an import. */
export type Actor = Pick<Principal, 'agencyId' | 'userId'>;

export const clientNotFound = () => notFoundError('client.not_found', 'Client not found');

const cursorValue = (row: ClientRow, sort: ClientSort): string => {
  switch (sort) {
    case 'createdAt':
      return row.createdAt.toISOString();
    case 'updatedAt':
      return row.updatedAt.toISOString();
    case 'email':
      return row.email ?? '';
    default:
      return row.name;
  }
};

/** The list: one snapshot for the page and its total, keyset cursor on (sort, id). */
export function listClients(db: Db, who: Principal, q: ClientListQuery) {
  const sort = q.sort ?? 'name';
  const order = q.order ?? (sort === 'name' || sort === 'email' ? 'asc' : 'desc');
  const cursorKey = `${sort}:${order}`;
  const position = decodeCursor(q.cursor, cursorKey, sort === 'createdAt' || sort === 'updatedAt' ? 'timestamp' : 'text');
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const { rows, total } = await selectClientPage(tx, q, { sort, order, position, maxRows: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: cursorKey, value: cursorValue(last, sort), id: last.id }) : null;
      return { rows: page, nextCursor, total };
    },
    { mode: 'snapshot' },
  );
}

export async function getClient(db: Db, who: Principal, id: string): Promise<ClientRow> {
  const row = await tenantTx(db, who.agencyId, (tx) => selectClient(tx, id));
  if (!row) throw clientNotFound();
  return row;
}

/** A live client, or `client.not_found`; `lock` waits for (and blocks) a delete in flight. */
export async function requireClient(tx: Tx, id: string, lock?: 'update' | 'share'): Promise<ClientRow> {
  const row = await selectClient(tx, id, lock);
  if (!row) throw clientNotFound();
  return row;
}

type ClientEvent = EventToWrite<'crm.client.created.v1'> | EventToWrite<'crm.client.updated.v1'>;

const clientEvent = (who: Actor, name: 'crm.client.created.v1' | 'crm.client.updated.v1', row: ClientRow, changes?: string[]): ClientEvent => ({
  name,
  agencyId: who.agencyId,
  actorId: who.userId,
  payload: { clientId: row.id, client: toClientDto(row), version: row.version, ...(changes ? { changes } : {}) },
});

/** The contract fields whose values differ between two states of a client (`address.city` for the address's). */
export function changedClientFields(before: ClientRow, after: ClientRow): string[] {
  const a = toClientDto(before);
  const b = toClientDto(after);
  const changed: string[] = [];
  for (const key of Object.keys(b) as (keyof typeof b)[]) {
    if (key === 'updatedAt' || key === 'createdAt') continue;
    if (key === 'address') {
      for (const part of Object.keys(b.address) as (keyof typeof b.address)[]) if (a.address[part] !== b.address[part]) changed.push(`address.${part}`);
    } else if (a[key] !== b[key]) changed.push(key);
  }
  return changed;
}

/** A changed client's next state: one more version, touched now. Every writer (API and import) goes through here. */
export function bumpClient(row: ClientRow, now: Date): void {
  row.version += 1;
  row.updatedAt = now;
}

/**
 * The set-based write of clients, shared by the API and the import: new ones in one INSERT,
 * changed ones (already bumped with `bumpClient`) in one UPDATE, a created or updated event each.
 */
export async function saveClients(tx: Tx, who: Actor, changes: { created: ClientRow[]; updated: ClientRow[]; fields?: Map<ClientRow, string[]> }): Promise<void> {
  // Independent statements, sent together: one round trip instead of three.
  await Promise.all([
    insertClients(tx, changes.created),
    updateClients(tx, changes.updated),
    writeEvents(tx, outbox, [
      ...changes.created.map((row) => clientEvent(who, 'crm.client.created.v1', row)),
      ...changes.updated.map((row) => clientEvent(who, 'crm.client.updated.v1', row, changes.fields?.get(row))),
    ]),
  ]);
}

export function createClient(db: Db, who: Principal, body: CreateClientBody): Promise<ClientRow> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const row = newClientRow(who.agencyId, await transactionNow(tx));
    applyClientColumns(row, toClientColumns(body));
    await saveClients(tx, who, { created: [row], updated: [] });
    return row;
  });
}

/** Every update is a new version (and an event), even one that changes nothing: the caller asked for it to be saved. */
export function updateClient(db: Db, who: Principal, id: string, body: UpdateClientBody): Promise<ClientRow> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const row = await requireClient(tx, id, 'update');
    const before = { ...row };
    applyClientColumns(row, toClientColumns(body));
    bumpClient(row, await transactionNow(tx));
    await saveClients(tx, who, { created: [], updated: [row], fields: new Map([[row, changedClientFields(before, row)]]) });
    return row;
  });
}

/**
 * Soft-deletes the client with its contacts and notes. No event per child: `crm.client.deleted.v1`
 * already says that everything filed under the client is gone, and a client with thousands of
 * contacts should not flood the bus and its timeline.
 */
/** Soft-deletes the client with its contacts, notes and attachments (whose files the blob collector then removes). */
export function deleteClient(db: Db, attachments: AttachmentService, who: Principal, id: string): Promise<void> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const row = await softDeleteClient(tx, id);
    if (!row?.deletedAt) throw clientNotFound();
    await softDeleteClientChildren(tx, row.id);
    await attachments.removeAllOf(tx, who.agencyId, who.userId, [{ kind: 'client', ids: [row.id] }]);
    await writeEvents(tx, outbox, [
      {
        name: 'crm.client.deleted.v1',
        agencyId: who.agencyId,
        actorId: who.userId,
        payload: { clientId: row.id, name: row.name, version: row.version, deletedAt: row.deletedAt.toISOString() },
      },
    ]);
  });
}
