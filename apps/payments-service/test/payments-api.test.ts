import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService, type TestPrincipal } from '@atelier/platform/testing';
import { signatureHeader, startStripeEmulator, type StripeEmulator } from '@atelier/tool-stripe-emulator';
import { DEV_STRIPE_WEBHOOK_SECRET } from '../src/config.js';
import { deliver, issueReplicaInvoice, type InvoiceEventFields, outboxEvents, startPayments, type PaymentsHarness } from './payments-harness.js';
import { control, postWebhook, webhookEdge, type WebhookEdge } from './stripe-helpers.js';

let h: PaymentsHarness;
let emulator: StripeEmulator;
let stripe: Stripe;
let edge: WebhookEdge;
let db: Db;
beforeAll(async () => {
  emulator = await startStripeEmulator({ retryDelaysMs: [200, 400] });
  stripe = new Stripe('sk_test_api', { ...emulator.stripeConfig, maxNetworkRetries: 0 });
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

const issued = (agencyId: string, fields: InvoiceEventFields = {}) => issueReplicaInvoice(h, agencyId, fields);

async function cardPayment(owner: TestPrincipal, total: string, currency = 'EUR') {
  const inv = await issued(owner.agencyId, { total, currency });
  const res = await serviceClient(h.url, owner)('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId });
  const sessionId = new URL(res.body.url).pathname.split('/').pop()!;
  await control(emulator, `/checkout/sessions/${sessionId}/pay`);
  await emulator.idle();
  const list = await serviceClient(h.url, owner)('GET', `/api/payments?invoiceId=${inv.invoiceId}`);
  return { inv, payment: list.body.data[0], intentId: (await stripe.checkout.sessions.retrieve(sessionId)).payment_intent as string };
}

describe('manual payments', () => {
  it('a manager records a bank transfer; it is listed, filtered and read back; the event goes out', async () => {
    const manager = newPrincipal('manager');
    const inv = await issued(manager.agencyId, { total: '500.00' });
    const api = serviceClient(h.url, manager);
    const res = await api('POST', '/api/payments', { invoiceId: inv.invoiceId, amount: '200.50', method: 'bank_transfer', paidOn: '2026-11-30', reference: 'SEPA 4711' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ invoiceId: inv.invoiceId, amount: '200.50', amountRefunded: '0.00', currency: 'EUR', status: 'succeeded', method: 'bank_transfer', reference: 'SEPA 4711', paidOn: '2026-11-30', stripePaymentIntentId: null, overpaid: false });
    expect((await api('GET', `/api/payments/${res.body.id}`)).body).toEqual(res.body);
    expect((await api('GET', `/api/payments?invoiceId=${inv.invoiceId}&status=succeeded`)).body).toMatchObject({ total: 1, data: [{ id: res.body.id }] });
    expect((await api('GET', `/api/payments?invoiceId=${inv.invoiceId}&status=refunded`)).body.total).toBe(0);
    const [event] = await outboxEvents(db, manager.agencyId, 'payments.payment.succeeded.v1');
    expect(event!.payload).toMatchObject({ paymentId: res.body.id, amount: '200.50', method: 'bank_transfer', clientId: inv.clientId, paidOn: '2026-11-30' });
  });

  it('more than is due is recorded and flagged; JPY and BHD amounts keep their decimals', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const eur = await issued(owner.agencyId, { total: '100.00' });
    await api('POST', '/api/payments', { invoiceId: eur.invoiceId, amount: '60.00', method: 'cash', paidOn: '2026-11-30' });
    const over = await api('POST', '/api/payments', { invoiceId: eur.invoiceId, amount: '60.00', method: 'check', paidOn: '2026-12-01' });
    expect(over.body).toMatchObject({ status: 'succeeded', overpaid: true });
    const jpy = await issued(owner.agencyId, { currency: 'JPY', total: '5000' });
    expect((await api('POST', '/api/payments', { invoiceId: jpy.invoiceId, amount: '1234', method: 'other', paidOn: '2026-11-30' })).body.amount).toBe('1234');
    const badYen = await api('POST', '/api/payments', { invoiceId: jpy.invoiceId, amount: '12.5', method: 'other', paidOn: '2026-11-30' });
    expect([badYen.status, badYen.body.code, badYen.body.errors[0].path]).toEqual([400, 'payment.invalid_amount', 'amount']);
    const bhd = await issued(owner.agencyId, { currency: 'BHD', total: '10.000' });
    expect((await api('POST', '/api/payments', { invoiceId: bhd.invoiceId, amount: '3.335', method: 'other', paidOn: '2026-11-30' })).body.amount).toBe('3.335');
  });

  it('members may not record or refund; card is not a manual method; void and unknown invoices are refused', async () => {
    const owner = newPrincipal('owner');
    const member = newPrincipal('member', owner.agencyId);
    const inv = await issued(owner.agencyId);
    const body = { invoiceId: inv.invoiceId, amount: '10.00', method: 'cash', paidOn: '2026-11-30' };
    expect((await serviceClient(h.url, member)('POST', '/api/payments', body)).status).toBe(403);
    const api = serviceClient(h.url, owner);
    const card = await api('POST', '/api/payments', { ...body, method: 'card' });
    expect([card.status, card.body.errors[0].path]).toEqual([400, 'method']);
    const paid = await api('POST', '/api/payments', body);
    expect((await serviceClient(h.url, member)('POST', `/api/payments/${paid.body.id}/refund`, {})).status).toBe(403);
    await deliver(h, 'payments.invoice-replica', inv.voided(5));
    expect((await api('POST', '/api/payments', body)).body.code).toBe('payment.invoice_void');
    expect((await api('POST', '/api/payments', { ...body, invoiceId: randomUUID() })).status).toBe(404);
  });

  it('another agency sees none of it: 404 and empty lists', async () => {
    const owner = newPrincipal('owner');
    const inv = await issued(owner.agencyId);
    const paid = await serviceClient(h.url, owner)('POST', '/api/payments', { invoiceId: inv.invoiceId, amount: '10.00', method: 'cash', paidOn: '2026-11-30' });
    const stranger = serviceClient(h.url, newPrincipal('owner'));
    expect((await stranger('GET', `/api/payments/${paid.body.id}`)).status).toBe(404);
    expect((await stranger('POST', `/api/payments/${paid.body.id}/refund`, {})).status).toBe(404);
    expect((await stranger('GET', `/api/payments?invoiceId=${inv.invoiceId}`)).body).toEqual({ data: [], total: 0, nextCursor: null });
    expect((await stranger('POST', '/api/payments', { invoiceId: inv.invoiceId, amount: '1.00', method: 'cash', paidOn: '2026-11-30' })).status).toBe(404);
  });

  it('pages with a cursor', async () => {
    const owner = newPrincipal('owner');
    const inv = await issued(owner.agencyId, { total: '1000.00' });
    const api = serviceClient(h.url, owner);
    for (let i = 0; i < 5; i++) await api('POST', '/api/payments', { invoiceId: inv.invoiceId, amount: '1.00', method: 'cash', paidOn: '2026-11-30' });
    const first = await api('GET', '/api/payments?limit=2');
    const second = await api('GET', `/api/payments?limit=2&cursor=${first.body.nextCursor}`);
    const third = await api('GET', `/api/payments?limit=2&cursor=${second.body.nextCursor}`);
    const ids = [...first.body.data, ...second.body.data, ...third.body.data].map((p: { id: string }) => p.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.body.nextCursor).toBeNull();
    expect((await api('GET', '/api/payments?cursor=garbage')).body.code).toBe('list.invalid_cursor');
    const ascending: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api('GET', `/api/payments?limit=2&order=asc${cursor ? `&cursor=${cursor}` : ''}`);
      ascending.push(...page.body.data.map((p: { id: string }) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ascending).toEqual([...ids].reverse());
    expect((await api('GET', `/api/payments?limit=2&order=asc&cursor=${first.body.nextCursor}`)).body.code).toBe('list.invalid_cursor');
  });
});

describe('refunds', () => {
  it('a manual payment: partial refunds add up exactly, then the rest; more than remains is a 400, a refunded one a 409', async () => {
    const owner = newPrincipal('owner');
    const inv = await issued(owner.agencyId, { total: '100.00' });
    const api = serviceClient(h.url, owner);
    const paid = await api('POST', '/api/payments', { invoiceId: inv.invoiceId, amount: '100.00', method: 'bank_transfer', paidOn: '2026-11-30' });
    expect((await api('POST', `/api/payments/${paid.body.id}/refund`, { amount: '33.33' })).body).toMatchObject({ status: 'partially_refunded', amountRefunded: '33.33' });
    expect((await api('POST', `/api/payments/${paid.body.id}/refund`, { amount: '33.33' })).body.amountRefunded).toBe('66.66');
    const tooMuch = await api('POST', `/api/payments/${paid.body.id}/refund`, { amount: '33.35' });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([400, 'payment.refund_too_large']);
    expect((await api('POST', `/api/payments/${paid.body.id}/refund`)).body).toMatchObject({ status: 'refunded', amountRefunded: '100.00' });
    expect((await api('POST', `/api/payments/${paid.body.id}/refund`, {})).body.code).toBe('payment.not_refundable');
    const refunds = await outboxEvents(db, owner.agencyId, 'payments.payment.refunded.v1');
    expect(refunds.map((e) => (e.payload as { refundAmount: string }).refundAmount)).toEqual(['33.33', '33.33', '33.34']);
  });

  it('a Stripe payment is refunded through Stripe, partially then fully; the webhooks change nothing more', async () => {
    const owner = newPrincipal('owner');
    const { payment, intentId } = await cardPayment(owner, '120.00');
    expect(payment).toMatchObject({ status: 'succeeded', method: 'card', stripePaymentIntentId: intentId });
    const api = serviceClient(h.url, owner);
    expect((await api('POST', `/api/payments/${payment.id}/refund`, { amount: '20.01' })).body).toMatchObject({ status: 'partially_refunded', amountRefunded: '20.01' });
    await emulator.idle();
    const intent = await stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] });
    expect((intent.latest_charge as Stripe.Charge).amount_refunded).toBe(2001);
    expect((await api('POST', `/api/payments/${payment.id}/refund`, {})).body).toMatchObject({ status: 'refunded', amountRefunded: '120.00' });
    await emulator.idle();
    expect((await api('GET', `/api/payments/${payment.id}`)).body).toMatchObject({ status: 'refunded', amountRefunded: '120.00' });
    expect(await outboxEvents(db, owner.agencyId, 'payments.payment.refunded.v1')).toHaveLength(2);
  });
  it('JPY and BHD through Stripe: whole yen and fils both ways, partial refunds exact; an amount Stripe cannot take is a 400', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const yen = await cardPayment(owner, '5000', 'JPY');
    expect(yen.payment).toMatchObject({ amount: '5000', currency: 'JPY', status: 'succeeded' });
    expect((await api('POST', `/api/payments/${yen.payment.id}/refund`, { amount: '1234' })).body).toMatchObject({ amountRefunded: '1234', status: 'partially_refunded' });
    expect(((await stripe.paymentIntents.retrieve(yen.intentId, { expand: ['latest_charge'] })).latest_charge as Stripe.Charge).amount_refunded).toBe(1234);
    const dinar = await cardPayment(owner, '12.340', 'BHD');
    expect(dinar.payment).toMatchObject({ amount: '12.340', currency: 'BHD' });
    const odd = await api('POST', `/api/payments/${dinar.payment.id}/refund`, { amount: '1.235' });
    expect([odd.status, odd.body.code, odd.body.errors[0].path]).toEqual([400, 'payment.invalid_amount', 'amount']);
    expect((await api('POST', `/api/payments/${dinar.payment.id}/refund`, { amount: '1.230' })).body).toMatchObject({ amountRefunded: '1.230' });
    expect((await api('POST', `/api/payments/${dinar.payment.id}/refund`, {})).body).toMatchObject({ amountRefunded: '12.340', status: 'refunded' });
    await emulator.idle();
    expect((await api('GET', `/api/payments/${dinar.payment.id}`)).body).toMatchObject({ amountRefunded: '12.340', status: 'refunded' });
  });
});

describe('webhook ledger', () => {
  it('owners and admins list it, managers may not; replay applies an event again without a second effect', async () => {
    const owner = newPrincipal('owner');
    await cardPayment(owner, '15.00');
    const api = serviceClient(h.url, owner);
    const list = await api('GET', '/api/payments/webhook-events?limit=200');
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(3);
    expect(list.body.data[0]).toEqual({ id: expect.any(String), stripeEventId: expect.stringMatching(/^evt_/), type: expect.any(String), receivedAt: expect.any(String), status: expect.stringMatching(/^(processed|ignored)$/), attempts: 1, error: null });
    expect((await serviceClient(h.url, newPrincipal('manager', owner.agencyId))('GET', '/api/payments/webhook-events')).status).toBe(403);
    const completed = list.body.data.find((e: { type: string }) => e.type === 'checkout.session.completed');
    const replayed = await serviceClient(h.url, newPrincipal('admin', owner.agencyId))('POST', `/api/payments/webhook-events/${completed.id}/replay`);
    expect(replayed.body).toMatchObject({ id: completed.id, status: 'processed', attempts: 2 });
    expect(await outboxEvents(db, owner.agencyId, 'payments.payment.succeeded.v1')).toHaveLength(1);
    expect((await api('POST', `/api/payments/webhook-events/${randomUUID()}/replay`)).status).toBe(404);
    expect((await serviceClient(h.url, newPrincipal('owner'))('POST', `/api/payments/webhook-events/${completed.id}/replay`)).status).toBe(404);
  });

  it('an event that cannot be applied is recorded as failed with its error, and counted again on redelivery', async () => {
    const agency = randomUUID();
    const body = JSON.stringify(
      { id: `evt_broken_${randomUUID()}`, object: 'event', created: Math.floor(Date.now() / 1000), type: 'payment_intent.succeeded', data: { object: { id: 'pi_does_not_exist', object: 'payment_intent', metadata: { agency_id: agency, invoice_id: randomUUID() } } } },
      null,
      2,
    );
    const sign = () => signatureHeader(body, DEV_STRIPE_WEBHOOK_SECRET, Math.floor(Date.now() / 1000));
    expect((await postWebhook(h.url, body, sign())).status).toBe(500);
    expect((await postWebhook(h.url, body, sign())).status).toBe(500);
    const ledger = await serviceClient(h.url, newPrincipal('owner', agency))('GET', '/api/payments/webhook-events?status=failed');
    expect(ledger.body.data).toEqual([expect.objectContaining({ type: 'payment_intent.succeeded', status: 'failed', attempts: 2, error: expect.stringContaining('pi_does_not_exist') })]);
  });
});
