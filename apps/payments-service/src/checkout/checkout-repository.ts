import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { checkoutSessions } from '../db/schema.js';

export type CheckoutSessionRow = typeof checkoutSessions.$inferSelect;

/** An open session made with this idempotency key within `hours` (Stripe's sessions live 24 h). */
export async function selectReusableSession(tx: Tx, idempotencyKey: string, hours: number): Promise<CheckoutSessionRow | undefined> {
  const [row] = await tx
    .select()
    .from(checkoutSessions)
    .where(
      and(
        eq(checkoutSessions.idempotencyKey, idempotencyKey),
        eq(checkoutSessions.status, 'open'),
        gt(checkoutSessions.createdAt, sql`now() - make_interval(hours => ${hours})`),
      ),
    )
    .orderBy(desc(checkoutSessions.createdAt))
    .limit(1);
  return row;
}

/** Records a session; a second request that got the same session from Stripe's idempotency adds nothing. */
export async function insertSession(tx: Tx, row: typeof checkoutSessions.$inferInsert): Promise<void> {
  await tx.insert(checkoutSessions).values(row).onConflictDoNothing();
}

export async function setSessionStatus(tx: Tx, stripeSessionId: string, status: 'open' | 'complete' | 'expired'): Promise<void> {
  await tx.update(checkoutSessions).set({ status, updatedAt: sql`now()` }).where(eq(checkoutSessions.stripeSessionId, stripeSessionId));
}

/** Sessions still open after `seconds`: reconciliation asks Stripe how they ended. */
export async function selectStaleOpenSessions(tx: Tx, seconds: number, limit: number): Promise<CheckoutSessionRow[]> {
  return tx
    .select()
    .from(checkoutSessions)
    .where(and(eq(checkoutSessions.status, 'open'), lt(checkoutSessions.createdAt, sql`now() - make_interval(secs => ${seconds})`)))
    .limit(limit);
}
