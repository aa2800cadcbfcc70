import type Stripe from 'stripe';
import { everyMinutes, tenantTx, type ScheduleDefinition, type Tx } from '@atelier/platform';
import type { Logger } from 'pino';
import { setSessionStatus } from '../checkout/checkout-repository.js';
import type { PaymentsDeps } from '../deps.js';
import { syncPayment } from '../payments/payment-sync.js';
import { intentState, stripeIdOf } from '../payments/stripe-intent.js';
import { applyStripeEvent } from '../webhooks/webhook-service.js';
import { readCursor, staleOpenSessions, writeCursor } from './reconcile-repository.js';

export const RECONCILE_SCHEDULE = 'payments.reconcile';
/** Events of the same second as the cursor (and a clock's skew) are listed again; the ledger absorbs them. */
const OVERLAP_SECONDS = 60;
/** The first run looks this far back (Stripe keeps 30 days of events). */
const FIRST_LOOKBACK_SECONDS = 3 * 24 * 3600;
const SESSIONS_PER_RUN = 500;

export interface ReconcileReport {
  events: number;
  applied: number;
  failed: number;
  sessions: number;
}

/**
 * What webhooks missed (an endpoint down, a delivery given up): every Stripe event since the
 * cursor goes through the same path as a webhook (the ledger makes a known one a no-op), and
 * each Checkout Session still open here after a few minutes is asked how it ended. The cursor
 * stops at the oldest event that failed, so the next run tries it again.
 */
export async function reconcile(deps: PaymentsDeps, tx: Tx, now: Date, logger?: Logger): Promise<ReconcileReport> {
  const report: ReconcileReport = { events: 0, applied: 0, failed: 0, sessions: 0 };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const cursor = (await readCursor(tx)) ?? nowSeconds - FIRST_LOOKBACK_SECONDS;
  const events: Stripe.Event[] = [];
  for await (const e of deps.stripe.events.list({ created: { gte: cursor - OVERLAP_SECONDS }, limit: 100 })) events.push(e);
  events.sort((a, b) => a.created - b.created);
  let next = cursor;
  let firstFailure: number | null = null;
  for (const event of events) {
    report.events++;
    try {
      const outcome = await applyStripeEvent(deps, event);
      if (outcome === 'processed' || outcome === 'ignored') report.applied++;
    } catch (err) {
      report.failed++;
      firstFailure ??= event.created;
      logger?.warn({ err, stripeEventId: event.id }, 'reconciliation could not apply a Stripe event');
    }
    next = Math.max(next, event.created);
  }
  await writeCursor(tx, firstFailure ?? next);

  for (const s of await staleOpenSessions(tx, deps.config.RECONCILE_SESSION_AGE_SECONDS, SESSIONS_PER_RUN)) {
    report.sessions++;
    try {
      await reconcileSession(deps, s.agencyId, s.stripeSessionId);
    } catch (err) {
      logger?.warn({ err, stripeSessionId: s.stripeSessionId }, 'reconciliation could not check a Checkout Session');
    }
  }
  return report;
}

/** A session as Stripe holds it now: its status here, and its payment brought to its PaymentIntent. */
async function reconcileSession(deps: PaymentsDeps, agencyId: string, sessionId: string): Promise<void> {
  const session = await deps.stripe.checkout.sessions.retrieve(sessionId);
  const intentId = stripeIdOf(session.payment_intent);
  const intent = intentId ? await deps.stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] }) : null;
  const seen = intent ? intentState(intent) : null;
  await tenantTx(deps.db, agencyId, async (tx) => {
    if (session.status === 'complete' || session.status === 'expired') await setSessionStatus(tx, sessionId, session.status === 'complete' ? 'complete' : 'expired');
    if (seen && seen.agencyId === agencyId) await syncPayment(tx, seen);
  });
}

export function reconcileSchedule(deps: PaymentsDeps, minutes: number, logger?: Logger): ScheduleDefinition {
  return {
    name: RECONCILE_SCHEDULE,
    cadence: everyMinutes(minutes),
    run: async (tx) => {
      const report = await reconcile(deps, tx, new Date(), logger);
      if (report.applied > 0 || report.failed > 0) logger?.info(report, 'Stripe reconciliation');
    },
  };
}
