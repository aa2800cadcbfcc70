import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { timeEntries } from '../db/schema.js';
import type { TimeEntryRow } from '../time-entries/time-entry-repository.js';

/**
 * Serialises the timer writes of one user (start, stop) for the transaction: a start that finds
 * no running timer cannot race another start into the unique index (`time_entries_one_running_timer`
 * stays the guarantee; this makes the second start stop the first instead of failing).
 */
export async function lockUserTimers(tx: Tx, agencyId: string, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`timer:${agencyId}:${userId}`}, 0))`);
}

export async function selectRunningTimer(tx: Tx, userId: string, lock = false): Promise<TimeEntryRow | undefined> {
  const q = tx
    .select()
    .from(timeEntries)
    .where(and(eq(timeEntries.userId, userId), isNotNull(timeEntries.startedAt), isNull(timeEntries.endedAt), isNull(timeEntries.deletedAt)));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}
