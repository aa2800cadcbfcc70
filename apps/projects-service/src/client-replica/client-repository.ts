import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { clients } from '../db/schema.js';

export interface ClientFacts {
  id: string;
  name: string;
  currency: string;
  isActive: boolean;
}

/** A live (not deleted) client of the agency from the replica. */
export async function selectLiveClient(tx: Tx, id: string): Promise<ClientFacts | undefined> {
  const [row] = await tx
    .select({ id: clients.id, name: clients.name, currency: clients.currency, isActive: clients.isActive })
    .from(clients)
    .where(and(eq(clients.id, id), isNull(clients.deletedAt)));
  return row && row.currency !== null ? { ...row, currency: row.currency } : undefined;
}
