import { and, eq } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { members } from '../db/schema.js';

/** Whether the user is a current (not removed) member of the transaction's agency, as the replica knows it. */
export async function isMember(tx: Tx, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: members.userId })
    .from(members)
    .where(and(eq(members.userId, userId), eq(members.removed, false)));
  return row !== undefined;
}
