import { eq } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { selectPrimaryContact } from '../contact-replica/contact-replica-repository.js';
import { clients } from '../db/schema.js';

export { selectPrimaryContact };

export async function selectClientEmail(tx: Tx, clientId: string): Promise<{ name: string; email: string | null } | undefined> {
  const [row] = await tx.select({ name: clients.name, email: clients.email }).from(clients).where(eq(clients.id, clientId));
  return row;
}
