import { and, eq, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { clients, contacts } from '../db/schema.js';
import type { ContactRow } from './contact-mapper.js';

export interface LockedClient {
  id: string;
  country: string | null;
}

/**
 * Locks the client row for the rest of the transaction. Every change that may make a contact
 * primary takes this lock first, so concurrent "make primary" requests on one client run one
 * after the other: each then demotes the primary its predecessor committed, and the unique
 * index `contacts_one_primary_idx` is never hit. A client deleted meanwhile is not found.
 * Lock order is always client, then contacts (client delete does the same), so no deadlock.
 */
export async function lockClient(tx: Tx, clientId: string): Promise<LockedClient | undefined> {
  const [row] = await tx
    .select({ id: clients.id, country: clients.country })
    .from(clients)
    .where(and(eq(clients.id, clientId), isNull(clients.deletedAt)))
    .for('update');
  return row;
}

/** The client's country, for reading national phone numbers (no lock: it only informs parsing). */
export async function clientCountry(tx: Tx, clientId: string): Promise<string | null> {
  const [row] = await tx.select({ country: clients.country }).from(clients).where(eq(clients.id, clientId));
  return row?.country ?? null;
}

/** Whether the client has any live contact: its first contact becomes primary by default. */
export async function hasContacts(tx: Tx, clientId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.clientId, clientId), isNull(contacts.deletedAt)))
    .limit(1);
  return row !== undefined;
}

/** Clears the client's current primary (but not `keepId`); returns the demoted rows for their events. Call with the client locked. */
export async function demotePrimary(tx: Tx, clientId: string, keepId?: string): Promise<ContactRow[]> {
  const filters: SQL[] = [eq(contacts.clientId, clientId), eq(contacts.isPrimary, true), isNull(contacts.deletedAt)];
  if (keepId) filters.push(ne(contacts.id, keepId));
  return tx
    .update(contacts)
    .set({ isPrimary: false, updatedAt: sql`now()` })
    .where(and(...filters))
    .returning();
}
