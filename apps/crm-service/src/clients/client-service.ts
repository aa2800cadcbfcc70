import { and, eq, isNull, sql } from 'drizzle-orm';
import type { CreateClientBody, UpdateClientBody } from '@atelier/contracts';
import { notFound, writeEvent, type Principal, type Tx } from '@atelier/platform';
import { clients, outbox } from '../db/schema.js';
import { deleteClientChildren } from './client-cascade.js';
import { toClientColumns, toClientDto, type ClientRow } from './client-mapper.js';

const snapshot = (row: ClientRow) => ({ client: toClientDto(row), version: row.version });

export async function createClient(tx: Tx, who: Principal, body: CreateClientBody): Promise<ClientRow> {
  const [row] = await tx
    .insert(clients)
    .values({ ...toClientColumns(body), name: body.name, agencyId: who.agencyId })
    .returning();
  if (!row) throw new Error('insert returned no row');
  await writeEvent(tx, outbox, { name: 'crm.client.created.v1', agencyId: who.agencyId, actorId: who.userId, payload: snapshot(row) });
  return row;
}

export async function updateClient(tx: Tx, who: Principal, id: string, body: UpdateClientBody): Promise<ClientRow> {
  const [row] = await tx
    .update(clients)
    .set({ ...toClientColumns(body), version: sql`${clients.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(clients.id, id), isNull(clients.deletedAt)))
    .returning();
  if (!row) throw notFound('Client not found');
  await writeEvent(tx, outbox, { name: 'crm.client.updated.v1', agencyId: who.agencyId, actorId: who.userId, payload: snapshot(row) });
  return row;
}

export async function deleteClient(tx: Tx, who: Principal, id: string): Promise<void> {
  const [row] = await tx
    .update(clients)
    .set({ deletedAt: sql`now()`, version: sql`${clients.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(clients.id, id), isNull(clients.deletedAt)))
    .returning();
  if (!row?.deletedAt) throw notFound('Client not found');
  await deleteClientChildren(tx, row.id);
  await writeEvent(tx, outbox, {
    name: 'crm.client.deleted.v1',
    agencyId: who.agencyId,
    actorId: who.userId,
    payload: { clientId: row.id, name: row.name, version: row.version, deletedAt: row.deletedAt.toISOString() },
  });
}
