import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { newPrincipal, rng, serviceClient, stopTestService } from '@atelier/platform/testing';
import { signatureHeader, startStripeEmulator, type StripeEmulator } from '@atelier/tool-stripe-emulator';
import { DEV_STRIPE_WEBHOOK_SECRET } from '../src/config.js';
import { paymentRows, webhookEvents } from '../src/db/schema.js';
import { deliver, invoiceEvents, outboxEvents, startPayments, type PaymentsHarness } from './payments-harness.js';
import { control, postWebhook } from './stripe-helpers.js';

const INVOICES = 200;
const REFUNDED = 100;

let h: PaymentsHarness;
let emulator: StripeEmulator;
let stripe: Stripe;
let db: Db;
beforeAll(async () => {
  // No endpoint: the events pile up in Stripe's list and this test delivers them itself.
  emulator = await startStripeEmulator();
  stripe = new Stripe('sk_test_replay', { ...emulator.stripeConfig, maxNetworkRetries: 0 });
  h = await startPayments({ env: { STRIPE_API_BASE: emulator.url, DATABASE_POOL_SIZE: '6' } });
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await emulator.stop();
  await stopTestService(h.service);
  await h.db.drop();
});

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

describe('replayed, duplicated and shuffled webhooks', () => {
  it('1,000 distinct events for 200 invoices delivered 1,200 times, 8 at a time: 1,000 ledger rows, one paid transition per invoice, no 5xx', async () => {
    const agency = randomUUID();
    const api = serviceClient(h.url, newPrincipal('owner', agency));
    const invoices = Array.from({ length: INVOICES }, (_, i) => invoiceEvents(agency, { total: `${100 + i}.00`, publicTokenDigest: createHash('sha256').update(randomUUID()).digest('hex') }));
    await deliver(h, 'payments.invoice-replica', ...invoices.map((inv) => inv.issued(2)));
    const sessions: string[] = [];
    await pool(invoices, 8, async (inv) => {
      const res = await api('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId });
      expect(res.status).toBe(200);
      sessions.push(new URL(res.body.url).pathname.split('/').pop()!);
    });
    await pool(sessions, 8, async (id) => {
      await control(emulator, `/checkout/sessions/${id}/pay`);
    });
    const refundedSessions = sessions.slice(0, REFUNDED);
    await pool(refundedSessions, 8, async (id) => {
      const intent = (await stripe.checkout.sessions.retrieve(id)).payment_intent as string;
      await stripe.refunds.create({ payment_intent: intent, amount: 1001 });
    });

    const events: Stripe.Event[] = [];
    for await (const e of stripe.events.list({ limit: 100 })) events.push(e);
    expect(events).toHaveLength(1000);

    // Each event sent once, 200 of them a second time; shuffled with a fixed seed.
    const random = rng(7);
    const deliveries = [...events, ...events.slice(0, 200)];
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    const statuses = new Map<number, number>();
    await pool(deliveries, 8, async (event) => {
      const body = JSON.stringify(event, null, 2);
      const res = await postWebhook(h.url, body, signatureHeader(body, DEV_STRIPE_WEBHOOK_SECRET, Math.floor(Date.now() / 1000)));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    });
    expect(statuses).toEqual(new Map([[200, 1200]]));

    const [ledger] = await tenantTx(db, agency, (tx) => tx.select({ n: sql<number>`count(*)::int`, distinct: sql<number>`count(distinct stripe_event_id)::int`, failed: sql<number>`count(*) filter (where status = 'failed')::int` }).from(webhookEvents));
    expect(ledger).toEqual({ n: 1000, distinct: 1000, failed: 0 });
    const payments = await tenantTx(db, agency, (tx) => tx.select().from(paymentRows));
    expect(payments).toHaveLength(INVOICES);
    expect(payments.filter((p) => p.status === 'succeeded')).toHaveLength(INVOICES - REFUNDED);
    expect(payments.filter((p) => p.status === 'partially_refunded').map((p) => p.amountRefunded)).toEqual(Array(REFUNDED).fill('10.0100'));
    const succeeded = await outboxEvents(db, agency, 'payments.payment.succeeded.v1');
    expect(succeeded).toHaveLength(INVOICES);
    expect(new Set(succeeded.map((e) => (e.payload as { invoiceId: string }).invoiceId)).size).toBe(INVOICES);
    expect(await outboxEvents(db, agency, 'payments.payment.refunded.v1')).toHaveLength(REFUNDED);
  }, 180_000);
});
