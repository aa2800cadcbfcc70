import { and, eq } from 'drizzle-orm';
import { anyOf, type Tx } from '@atelier/platform';
import { memberNames } from '../db/schema.js';

/** The uploaders' names from crm's member replica (a removed member keeps theirs). */
export async function selectMemberNames(tx: Tx, agencyId: string, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx
    .select({ userId: memberNames.userId, name: memberNames.name })
    .from(memberNames)
    .where(and(eq(memberNames.agencyId, agencyId), anyOf(memberNames.userId, userIds)));
  return new Map(rows.map((r) => [r.userId, r.name]));
}
