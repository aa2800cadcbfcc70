import { sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { reconcileCursor } from '../db/schema.js';

const ROW = 1;

export async function readCursor(tx: Tx): Promise<number | null> {
  const [row] = await tx.select({ createdAfter: reconcileCursor.createdAfter }).from(reconcileCursor).for('update');
  return row?.createdAfter ?? null;
}

export async function writeCursor(tx: Tx, createdAfter: number): Promise<void> {
  await tx
    .insert(reconcileCursor)
    .values({ id: ROW, createdAfter })
    .onConflictDoUpdate({ target: reconcileCursor.id, set: { createdAfter, updatedAt: sql`now()` } });
}

/** Sessions of every agency still open here after `seconds` (a definer lookup: the job has no agency). */
export async function staleOpenSessions(tx: Tx, seconds: number, limit: number): Promise<{ agencyId: string; stripeSessionId: string }[]> {
  const rows = await tx.execute<{ agency_id: string; stripe_session_id: string }>(
    sql`select agency_id, stripe_session_id from payments.stale_open_sessions(make_interval(secs => ${seconds}), ${limit})`,
  );
  return [...rows].map((r) => ({ agencyId: r.agency_id, stripeSessionId: r.stripe_session_id }));
}
