import { createHash, randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_TOKEN_HEADER, signInternalToken } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService, TEST_INTERNAL_SECRET } from '@atelier/platform/testing';
import { startStripeEmulator, type StripeEmulator } from '@atelier/tool-stripe-emulator';
import { deliver, invoiceEvents, startPayments, type PaymentsHarness } from './payments-harness.js';

const QUEUE = 'payments.invoice-replica';
let h: PaymentsHarness;
let emulator: StripeEmulator;
let stripe: Stripe;
beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = new Stripe('sk_test_checkout', { ...emulator.stripeConfig, maxNetworkRetries: 0 });
  h = await startPayments({ env: { STRIPE_API_BASE: emulator.url, PUBLIC_ORIGIN: 'https://app.atelier.test' } });
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
  await emulator.stop();
});

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const publicClient = async () => {
  const token = signInternalToken(TEST_INTERNAL_SECRET, { system: true, aud: 'payments' });
  return (path: string) => serviceClient(h.url)('POST', path, undefined, { [INTERNAL_TOKEN_HEADER]: token });
};

/** An issued invoice in the replica, as billing's event makes it. */
async function issued(agencyId: string, fields: Parameters<typeof invoiceEvents>[1] = {}) {
  const token = `tok_${randomUUID()}`;
  const inv = invoiceEvents(agencyId, { publicTokenDigest: digest(token), ...fields });
  await deliver(h, QUEUE, inv.issued(2));
  return { ...inv, token };
}

const sessionIdOf = (url: string) => new URL(url).pathname.split('/').pop()!;
const sessionsFor = async (invoiceId: string) => (await stripe.checkout.sessions.list({ limit: 100 })).data.filter((s) => s.metadata?.invoice_id === invoiceId);

describe('POST /api/payments/checkout', () => {
  it('makes a Checkout Session for the amount due in minor units, with the invoice in the metadata of the session and its PaymentIntent', async () => {
    const owner = newPrincipal('owner');
    const inv = await issued(owner.agencyId, { total: '1190.00' });
    const res = await serviceClient(h.url, owner)('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId });
    expect(res.status).toBe(200);
    expect(res.body.url).toMatch(new RegExp(`^${emulator.url.replace('127.0.0.1', 'localhost')}|^${emulator.url}`));
    const session = await stripe.checkout.sessions.retrieve(sessionIdOf(res.body.url), { expand: ['line_items'] });
    expect(session).toMatchObject({
      mode: 'payment',
      amount_total: 119_000,
      currency: 'eur',
      metadata: { invoice_id: inv.invoiceId, agency_id: owner.agencyId },
      success_url: `https://app.atelier.test/invoices/${inv.invoiceId}?checkout=success`,
    });
    expect(session.line_items?.data[0]).toMatchObject({ quantity: 1, amount_total: 119_000 });
    const paid = await fetch(`${emulator.url}/_emulator/checkout/sessions/${session.id}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(paid.status).toBe(200);
    const after = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect((after.payment_intent as Stripe.PaymentIntent).metadata).toMatchObject({ invoice_id: inv.invoiceId, agency_id: owner.agencyId });
  });

  it('charges JPY in whole yen and BHD in fils (three decimals), as Stripe counts them', async () => {
    const owner = newPrincipal('manager');
    const jpy = await issued(owner.agencyId, { currency: 'JPY', total: '5000' });
    const bhd = await issued(owner.agencyId, { currency: 'BHD', total: '12.340' });
    const api = serviceClient(h.url, owner);
    const a = await stripe.checkout.sessions.retrieve(sessionIdOf((await api('POST', '/api/payments/checkout', { invoiceId: jpy.invoiceId })).body.url));
    const b = await stripe.checkout.sessions.retrieve(sessionIdOf((await api('POST', '/api/payments/checkout', { invoiceId: bhd.invoiceId })).body.url));
    expect([a.amount_total, a.currency]).toEqual([5000, 'jpy']);
    expect([b.amount_total, b.currency]).toEqual([12_340, 'bhd']);
  });

  it('a double click makes one session; after a partial payment the next session is for what remains', async () => {
    const owner = newPrincipal('member');
    const inv = await issued(owner.agencyId, { total: '300.00' });
    const api = serviceClient(h.url, owner);
    const [one, two] = await Promise.all([api('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId }), api('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId })]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.body.url).toBe(two.body.url);
    expect(await sessionsFor(inv.invoiceId)).toHaveLength(1);
    await deliver(h, QUEUE, inv.partiallyPaid(3, { amountPaid: '100.00', amountDue: '200.00' }));
    const three = await api('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId });
    expect(three.body.url).not.toBe(one.body.url);
    expect((await stripe.checkout.sessions.retrieve(sessionIdOf(three.body.url))).amount_total).toBe(20_000);
  });

  it('an SDK retry after a failed attempt reuses the idempotency key: exactly one session', async () => {
    const owner = newPrincipal('owner');
    const inv = await issued(owner.agencyId, { total: '75.00' });
    const fault = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 500, count: 1, path: '/checkout/sessions' }) });
    expect(fault.status).toBeLessThan(300);
    const res = await serviceClient(h.url, owner)('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId });
    expect(res.status).toBe(200);
    expect(await sessionsFor(inv.invoiceId)).toHaveLength(1);
  });

  it('409 when nothing is due or the invoice is void; 404 for another agency\'s invoice or an unknown one; 400 naming the field', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const paid = await issued(owner.agencyId);
    await deliver(h, QUEUE, paid.paid(3));
    const paidRes = await api('POST', '/api/payments/checkout', { invoiceId: paid.invoiceId });
    expect([paidRes.status, paidRes.body.code]).toEqual([409, 'payment.nothing_due']);
    const voided = await issued(owner.agencyId);
    await deliver(h, QUEUE, voided.voided(3));
    const voidRes = await api('POST', '/api/payments/checkout', { invoiceId: voided.invoiceId });
    expect([voidRes.status, voidRes.body.code]).toEqual([409, 'payment.invoice_void']);
    const other = await issued(randomUUID());
    for (const invoiceId of [other.invoiceId, randomUUID()]) {
      const res = await api('POST', '/api/payments/checkout', { invoiceId });
      expect([res.status, res.body.code]).toEqual([404, 'payment.invoice_not_found']);
    }
    const bad = await api('POST', '/api/payments/checkout', { invoiceId: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'invoiceId' })]);
    expect((await api('POST', '/api/payments/checkout', { invoiceId: paid.invoiceId, amount: '1' })).status).toBe(400);
    expect(await sessionsFor(paid.invoiceId)).toHaveLength(0);
  });
});

describe('POST /api/public/invoices/:publicToken/checkout', () => {
  it('finds the invoice by its token with no session and returns to the public page', async () => {
    const agency = randomUUID();
    const inv = await issued(agency, { total: '49.90' });
    const post = await publicClient();
    const res = await post(`/api/public/invoices/${inv.token}/checkout`);
    expect(res.status).toBe(200);
    const session = await stripe.checkout.sessions.retrieve(sessionIdOf(res.body.url));
    expect(session).toMatchObject({
      amount_total: 4990,
      metadata: { invoice_id: inv.invoiceId, agency_id: agency },
      cancel_url: `https://app.atelier.test/i/${inv.token}?checkout=cancelled`,
    });
    expect(session.success_url).toContain(`https://app.atelier.test/i/${inv.token}?checkout=success`);
    expect((await post(`/api/public/invoices/${inv.token}/checkout`)).body.url).toBe(res.body.url);
  });

  it('404 for an unknown token or a void invoice; the route refuses no token at all', async () => {
    const agency = randomUUID();
    const inv = await issued(agency);
    await deliver(h, QUEUE, inv.voided(3));
    const post = await publicClient();
    expect((await post(`/api/public/invoices/${inv.token}/checkout`)).status).toBe(404);
    expect((await post(`/api/public/invoices/tok_unknown/checkout`)).body.code).toBe('payment.invoice_not_found');
    expect((await serviceClient(h.url)('POST', `/api/public/invoices/${inv.token}/checkout`)).status).toBe(401);
  });
});
