import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import { signatureHeader, startStripeEmulator, type StripeEmulator } from '@atelier/tool-stripe-emulator';
import { DEV_STRIPE_WEBHOOK_SECRET } from '../src/config.js';
import { checkoutSessions, paymentRows, webhookEvents } from '../src/db/schema.js';
import { deliver, invoiceEvents, outboxEvents, startPayments, type PaymentsHarness } from './payments-harness.js';
import { control, postWebhook, webhookEdge, type WebhookEdge } from './stripe-helpers.js';

let h: PaymentsHarness;
let emulator: StripeEmulator;
let stripe: Stripe;
let edge: WebhookEdge;
let db: Db;
beforeAll(async () => {
  emulator = await startStripeEmulator({ retryDelaysMs: [200, 400, 800] });
  stripe = new Stripe('sk_test_flows', { ...emulator.stripeConfig, maxNetworkRetries: 0 });
  h = await startPayments({ env: { STRIPE_API_BASE: emulator.url } });
  db = h.service.ctx.database.db;
  edge = await webhookEdge(h.url);
  emulator.emulator.webhooks.addEndpoint(edge.url, DEV_STRIPE_WEBHOOK_SECRET);
});
afterAll(async () => {
  await emulator.stop();
  await edge.close();
  await stopTestService(h.service);
  await h.db.drop();
});
beforeEach(() => {
  edge.statuses.length = 0;
});

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** An issued invoice and a Checkout Session for it, as the staff endpoint makes one. */
async function sessionFor(agencyId: string, fields: Parameters<typeof invoiceEvents>[1] = {}) {
  const inv = invoiceEvents(agencyId, { publicTokenDigest: digest(randomUUID()), ...fields });
  await deliver(h, 'payments.invoice-replica', inv.issued(2));
  const res = await serviceClient(h.url, newPrincipal('owner', agencyId))('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId });
  expect(res.status).toBe(200);
  const sessionId = new URL(res.body.url).pathname.split('/').pop()!;
  return { ...inv, sessionId };
}

const paymentsOf = (agencyId: string, invoiceId: string) => tenantTx(db, agencyId, (tx) => tx.select().from(paymentRows).where(eq(paymentRows.invoiceId, invoiceId)));
const ledger = (agencyId: string) => tenantTx(db, agencyId, (tx) => tx.select().from(webhookEvents));
const intentOf = async (sessionId: string) => (await stripe.checkout.sessions.retrieve(sessionId)).payment_intent as string;
const settle = () => emulator.idle();

describe('Stripe webhooks move payments', () => {
  it('a card payment becomes one succeeded payment with one event; each event is in the ledger once', async () => {
    const agency = randomUUID();
    const s = await sessionFor(agency, { total: '1190.00' });
    await control(emulator, `/checkout/sessions/${s.sessionId}/pay`);
    await settle();
    const [payment] = await paymentsOf(agency, s.invoiceId);
    expect(payment).toMatchObject({ status: 'succeeded', amount: '1190.0000', amountRefunded: '0.0000', currency: 'EUR', method: 'card', overpaid: false });
    const succeeded = await outboxEvents(db, agency, 'payments.payment.succeeded.v1');
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]!.payload).toMatchObject({ paymentId: payment!.id, invoiceId: s.invoiceId, clientId: s.clientId, amount: '1190.00', status: 'succeeded', method: 'card', invoiceNumber: 'INV-2026-0007' });
    const rows = await ledger(agency);
    expect(new Set(rows.map((r) => r.stripeEventId)).size).toBe(rows.length);
    expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['checkout.session.completed', 'payment_intent.succeeded']));
    expect(rows.every((r) => r.status !== 'failed')).toBe(true);
    const [session] = await tenantTx(db, agency, (tx) => tx.select().from(checkoutSessions).where(eq(checkoutSessions.stripeSessionId, s.sessionId)));
    expect(session?.status).toBe('complete');
    expect(edge.statuses.every((st) => st === 200)).toBe(true);

    // A duplicate delivery is acknowledged and changes nothing.
    for (const r of rows) await control(emulator, `/events/${r.stripeEventId}/redeliver`);
    await settle();
    expect(await outboxEvents(db, agency, 'payments.payment.succeeded.v1')).toHaveLength(1);
    expect(await ledger(agency)).toHaveLength(rows.length);
    expect((await paymentsOf(agency, s.invoiceId))[0]!.version).toBe(payment!.version);
  });

  it('a refund delivered before the payment ends refunded, partial refunds add up exactly', async () => {
    const agency = randomUUID();
    const s = await sessionFor(agency, { total: '100.00' });
    await control(emulator, '/webhooks/hold');
    await control(emulator, `/checkout/sessions/${s.sessionId}/pay`);
    const intent = await intentOf(s.sessionId);
    await stripe.refunds.create({ payment_intent: intent, amount: 3333 });
    await stripe.refunds.create({ payment_intent: intent, amount: 1111 });
    await control(emulator, '/webhooks/release', { order: 'reverse' });
    await settle();
    const [payment] = await paymentsOf(agency, s.invoiceId);
    expect(payment).toMatchObject({ status: 'partially_refunded', amount: '100.0000', amountRefunded: '44.4400' });
    expect(await outboxEvents(db, agency, 'payments.payment.succeeded.v1')).toHaveLength(1);
    const refunded = await outboxEvents(db, agency, 'payments.payment.refunded.v1');
    expect(refunded.at(-1)!.payload).toMatchObject({ amountRefunded: '44.44', status: 'partially_refunded' });

    await control(emulator, '/webhooks/hold');
    await stripe.refunds.create({ payment_intent: intent });
    await control(emulator, '/webhooks/release', { order: 'shuffle' });
    await settle();
    expect((await paymentsOf(agency, s.invoiceId))[0]).toMatchObject({ status: 'refunded', amountRefunded: '100.0000' });
  });

  it('a bank debit that fails, delivered before the session completed, is never paid', async () => {
    const agency = randomUUID();
    const s = await sessionFor(agency, { total: '250.00' });
    await control(emulator, '/webhooks/hold');
    await control(emulator, `/checkout/sessions/${s.sessionId}/pay`, { iban: 'DE62370400440532013001' });
    await control(emulator, `/checkout/sessions/${s.sessionId}/async`, { outcome: 'failed' });
    await control(emulator, '/webhooks/release', { order: 'reverse' });
    await settle();
    const [payment] = await paymentsOf(agency, s.invoiceId);
    expect(payment?.status).toBe('failed');
    expect(await outboxEvents(db, agency, 'payments.payment.succeeded.v1')).toHaveLength(0);
    expect(await outboxEvents(db, agency, 'payments.payment.failed.v1')).toHaveLength(1);
  });

  it('a bank debit that succeeds is pending first and paid once the bank answers', async () => {
    const agency = randomUUID();
    const s = await sessionFor(agency, { total: '80.00' });
    await control(emulator, `/checkout/sessions/${s.sessionId}/pay`, { iban: 'DE89370400440532013000' });
    await settle();
    expect((await paymentsOf(agency, s.invoiceId))[0]?.status).toBe('pending');
    await control(emulator, `/checkout/sessions/${s.sessionId}/async`, { outcome: 'succeeded' });
    await settle();
    expect((await paymentsOf(agency, s.invoiceId))[0]?.status).toBe('succeeded');
    expect(await outboxEvents(db, agency, 'payments.payment.succeeded.v1')).toHaveLength(1);
  });

  it('a crash after the commit and before the 2xx: the redelivery changes nothing', async () => {
    const agency = randomUUID();
    const s = await sessionFor(agency, { total: '60.00' });
    edge.dropResponses = 100;
    await control(emulator, `/checkout/sessions/${s.sessionId}/pay`);
    await waitFor(async () => (await paymentsOf(agency, s.invoiceId))[0]?.status === 'succeeded');
    edge.dropResponses = 0;
    await settle();
    // Every event reached the service more than once (the first answers were lost), committed once.
    const rows = await ledger(agency);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((r) => r.stripeEventId)).size).toBe(rows.length);
    expect(edge.statuses.length).toBeGreaterThan(rows.length);
    expect(edge.statuses.every((st) => st === 200)).toBe(true);
    expect(await outboxEvents(db, agency, 'payments.payment.succeeded.v1')).toHaveLength(1);
    const deliveries = (await (await fetch(`${emulator.url}/_emulator/deliveries`)).json()) as { data?: { state: string }[] } | { state: string }[];
    const list = Array.isArray(deliveries) ? deliveries : (deliveries.data ?? []);
    expect(list.filter((d) => d.state === 'failed' || d.state === 'pending')).toHaveLength(0);
  });

  it('an overpayment (a second session paid after the first) is recorded and flagged', async () => {
    const agency = randomUUID();
    const s = await sessionFor(agency, { total: '40.00' });
    // Billing has not heard of the first payment yet, and a second tab made its own session meanwhile.
    const second = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 4000, product_data: { name: 'again' } } }],
      metadata: { invoice_id: s.invoiceId, agency_id: agency, client_id: s.clientId },
      payment_intent_data: { metadata: { invoice_id: s.invoiceId, agency_id: agency, client_id: s.clientId } },
      success_url: 'http://localhost:3000/x',
    });
    await control(emulator, `/checkout/sessions/${s.sessionId}/pay`);
    await settle();
    await control(emulator, `/checkout/sessions/${second.id}/pay`);
    await settle();
    const rows = await paymentsOf(agency, s.invoiceId);
    expect(rows.map((r) => [r.status, r.overpaid]).sort()).toEqual([
      ['succeeded', false],
      ['succeeded', true],
    ]);
    const res = await serviceClient(h.url, newPrincipal('owner', agency))('POST', '/api/payments/checkout', { invoiceId: s.invoiceId });
    expect([res.status, res.body.code]).toEqual([409, 'payment.nothing_due']);
  });
  it('a refund the bank returns gives the money back to the payment', async () => {
    const agency = randomUUID();
    const s = await sessionFor(agency, { total: '90.00' });
    await control(emulator, `/checkout/sessions/${s.sessionId}/pay`);
    const refund = await stripe.refunds.create({ payment_intent: await intentOf(s.sessionId), amount: 1500 });
    await settle();
    expect((await paymentsOf(agency, s.invoiceId))[0]).toMatchObject({ status: 'partially_refunded', amountRefunded: '15.0000' });
    await control(emulator, `/refunds/${refund.id}/fail`);
    await settle();
    expect((await paymentsOf(agency, s.invoiceId))[0]).toMatchObject({ status: 'succeeded', amountRefunded: '0.0000' });
    const last = (await outboxEvents(db, agency)).filter((e) => e.name.startsWith('payments.payment.')).at(-1)!;
    expect([last.name, last.payload]).toEqual(['payments.payment.succeeded.v1', expect.objectContaining({ amountRefunded: '0.00', status: 'succeeded' })]);
  });
  it("an event's own object is applied when it is the newest the payment knows; an older one sends for the PaymentIntent", async () => {
    const agency = randomUUID();
    const metadata = { agency_id: agency, invoice_id: randomUUID(), client_id: randomUUID() };
    // An intent Stripe (the emulator) does not know: only the event's object can tell its state.
    const intent = { id: `pi_told_${randomUUID()}`, object: 'payment_intent', amount: 4200, currency: 'eur', status: 'succeeded', latest_charge: 'ch_told', created: 1, metadata };
    const now = Math.floor(Date.now() / 1000);
    const event = (type: string, created: number, status: string) =>
      JSON.stringify({ id: `evt_${randomUUID()}`, object: 'event', created, type, data: { object: { ...intent, status } } }, null, 2);
    const post = (body: string) => postWebhook(h.url, body, signatureHeader(body, DEV_STRIPE_WEBHOOK_SECRET, now));

    const succeeded = await post(event('payment_intent.succeeded', now, 'succeeded'));
    expect([succeeded.status, (succeeded.body as { outcome: string }).outcome]).toEqual([200, 'processed']);
    const [payment] = await paymentsOf(agency, metadata.invoice_id);
    expect(payment).toMatchObject({ status: 'succeeded', amount: '42.0000', stripeChargeId: 'ch_told', stripeStateAt: new Date(now * 1000) });

    // Created a minute before what the payment holds: not trusted as it stands, so the intent is
    // fetched, and Stripe does not know it. The attempt fails and is recorded; nothing changes.
    const older = event('payment_intent.processing', now - 60, 'processing');
    expect((await post(older)).status).toBe(500);
    expect((await ledger(agency)).find((r) => r.type === 'payment_intent.processing')).toMatchObject({ status: 'failed', error: expect.stringContaining(intent.id) });
    expect((await paymentsOf(agency, metadata.invoice_id))[0]).toMatchObject({ status: 'succeeded', version: payment!.version });
  });
});
