import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startStripeEmulator, type StripeEmulator } from '@atelier/tool-stripe-emulator';
import { DEV_STRIPE_WEBHOOK_SECRET } from '../src/config.js';
import { checkoutSessions, paymentRows, webhookEvents } from '../src/db/schema.js';
import type { PaymentsDeps } from '../src/deps.js';
import { writeCursor } from '../src/reconcile/reconcile-repository.js';
import { reconcile } from '../src/reconcile/reconcile-service.js';
import { createStripeClient } from '../src/stripe/stripe-client.js';
import { deliver, invoiceEvents, outboxEvents, startPayments, type PaymentsHarness } from './payments-harness.js';
import { control, webhookEdge, type WebhookEdge } from './stripe-helpers.js';

let h: PaymentsHarness;
let emulator: StripeEmulator;
let stripe: Stripe;
let edge: WebhookEdge;
let db: Db;
let deps: PaymentsDeps;
beforeAll(async () => {
  emulator = await startStripeEmulator({ retryDelaysMs: [50, 100] });
  stripe = new Stripe('sk_test_reconcile', { ...emulator.stripeConfig, maxNetworkRetries: 0 });
  h = await startPayments({ env: { STRIPE_API_BASE: emulator.url, RECONCILE_SESSION_AGE_SECONDS: '0', RECONCILE_EVERY_MINUTES: '60' } });
  db = h.service.ctx.database.db;
  deps = { db, stripe: createStripeClient(h.service.ctx.config), config: h.service.ctx.config };
  edge = await webhookEdge(h.url);
  emulator.emulator.webhooks.addEndpoint(edge.url, DEV_STRIPE_WEBHOOK_SECRET);
});
afterAll(async () => {
  await emulator.stop();
  await edge.close();
  await stopTestService(h.service);
  await h.db.drop();
});

const run = () => tenantTx(db, null, (tx) => reconcile(deps, tx, new Date()));

/** Invoices paid while the webhook endpoint is down: 6 by card (one refunded in part), one by a bank debit that settles, one left unpaid. */
async function paymentsWhileDown(agencyId: string) {
  const api = serviceClient(h.url, newPrincipal('owner', agencyId));
  const invoices = Array.from({ length: 8 }, (_, i) => invoiceEvents(agencyId, { total: `${20 + i}.00`, publicTokenDigest: createHash('sha256').update(randomUUID()).digest('hex') }));
  await deliver(h, 'payments.invoice-replica', ...invoices.map((inv) => inv.issued(2)));
  const sessions: string[] = [];
  for (const inv of invoices) sessions.push(new URL((await api('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId })).body.url).pathname.split('/').pop()!);
  edge.down = true;
  for (const id of sessions.slice(0, 6)) await control(emulator, `/checkout/sessions/${id}/pay`);
  await stripe.refunds.create({ payment_intent: (await stripe.checkout.sessions.retrieve(sessions[0]!)).payment_intent as string, amount: 505 });
  await control(emulator, `/checkout/sessions/${sessions[6]}/pay`, { iban: 'DE89370400440532013000' });
  await control(emulator, `/checkout/sessions/${sessions[6]}/async`, { outcome: 'succeeded' });
  await emulator.idle();
  expect(await tenantTx(db, agencyId, (tx) => tx.select().from(paymentRows))).toHaveLength(0);
  return { invoices, sessions };
}

async function expectAllApplied(agencyId: string, sessions: string[]) {
  const payments = await tenantTx(db, agencyId, (tx) => tx.select().from(paymentRows));
  expect(payments).toHaveLength(7);
  expect(payments.filter((p) => p.status === 'succeeded')).toHaveLength(6);
  expect(payments.filter((p) => p.status === 'partially_refunded').map((p) => [p.amount, p.amountRefunded])).toEqual([['20.0000', '5.0500']]);
  const states = await tenantTx(db, agencyId, (tx) => tx.select({ id: checkoutSessions.stripeSessionId, status: checkoutSessions.status }).from(checkoutSessions));
  const byId = new Map(states.map((s) => [s.id, s.status]));
  expect(sessions.map((id) => byId.get(id))).toEqual(['complete', 'complete', 'complete', 'complete', 'complete', 'complete', 'complete', 'open']);
  expect(await outboxEvents(db, agencyId, 'payments.payment.succeeded.v1')).toHaveLength(7);
}

describe('reconciliation', () => {
  it('with the endpoint down, the events since the cursor leave nothing missing; the late webhooks then change nothing', async () => {
    const agency = randomUUID();
    const { sessions } = await paymentsWhileDown(agency);
    const report = await run();
    expect(report.failed).toBe(0);
    await expectAllApplied(agency, sessions);
    const ledger = await tenantTx(db, agency, (tx) => tx.select().from(webhookEvents));
    expect(ledger.length).toBeGreaterThan(20);
    expect((await run()).applied).toBe(0);

    edge.down = false;
    for (const row of ledger) await control(emulator, `/events/${row.stripeEventId}/redeliver`);
    await emulator.idle();
    expect(edge.statuses.filter((s) => s >= 500)).toEqual([]);
    await expectAllApplied(agency, sessions);
    expect(await tenantTx(db, agency, (tx) => tx.select().from(webhookEvents))).toHaveLength(ledger.length);
  });

  it('sessions still open here are asked how they ended, whatever the cursor', async () => {
    const agency = randomUUID();
    const { sessions } = await paymentsWhileDown(agency);
    // Past every event: only the open sessions can tell.
    await tenantTx(db, null, (tx) => writeCursor(tx, Math.floor(Date.now() / 1000) + 3600));
    const report = await run();
    expect(report.events).toBe(0);
    expect(report.sessions).toBeGreaterThanOrEqual(8);
    await expectAllApplied(agency, sessions);
    const [open] = await tenantTx(db, agency, (tx) => tx.select().from(checkoutSessions).where(eq(checkoutSessions.stripeSessionId, sessions[7]!)));
    expect(open?.status).toBe('open');
    edge.down = false;
  });
});
