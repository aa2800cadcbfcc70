import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { contacts, notes } from '../db/schema.js';

/**
 * Soft-deletes a deleted client's contacts and notes in the client's own transaction. No event
 * per row: `crm.client.deleted.v1` already says that everything filed under the client is gone,
 * and a client with thousands of contacts should not flood the bus and its timeline.
 */
export async function deleteClientChildren(tx: Tx, clientId: string): Promise<void> {
  await tx
    .update(contacts)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(contacts.clientId, clientId), isNull(contacts.deletedAt)));
  await tx
    .update(notes)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(notes.clientId, clientId), isNull(notes.deletedAt)));
}
