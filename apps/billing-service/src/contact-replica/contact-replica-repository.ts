import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { clients, contacts } from '../db/schema.js';

export type ContactReplicaRow = typeof contacts.$inferSelect;

/**
 * Who receives a client's invoices: its live primary contact, or none. While events converge two
 * may briefly be primary (a promotion before the old primary's demotion): the latest change wins.
 * A deleted client has none (crm deletes its contacts with it, without an event per contact).
 */
export async function selectPrimaryContact(tx: Tx, clientId: string): Promise<ContactReplicaRow | undefined> {
  const [row] = await tx
    .select({ contact: contacts })
    .from(contacts)
    .innerJoin(clients, and(eq(clients.id, contacts.clientId), isNull(clients.deletedAt)))
    .where(and(eq(contacts.clientId, clientId), eq(contacts.isPrimary, true), isNull(contacts.deletedAt)))
    .orderBy(desc(contacts.updatedAt), desc(contacts.version))
    .limit(1);
  return row?.contact;
}
