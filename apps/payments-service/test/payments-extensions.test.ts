import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService, waitFor, type TestPrincipal } from '@atelier/platform/testing';
import { startStripeEmulator, type StripeEmulator } from '@atelier/tool-stripe-emulator';
import { DEV_STRIPE_WEBHOOK_SECRET } from '../src/config.js';
import { currentMonth } from '../src/summary/summary-service.js';
import { issueReplicaInvoice, type InvoiceEventFields, startPayments, type PaymentsHarness } from './payments-harness.js';
import { control, webhookEdge, type WebhookEdge } from './stripe-helpers.js';

let h: PaymentsHarness;
let emulator: StripeEmulator;
let edge: WebhookEdge;
beforeAll(async () => {
  emulator = await startStripeEmulator({ retryDelaysMs: [200, 400] });
  h = await startPayments({ env: { STRIPE_API_BASE: emulator.url } });
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

async function record(who: TestPrincipal, invoiceId: string, amount: string, paidOn: string, method = 'bank_transfer') {
  const res = await serviceClient(h.url, who)('POST', '/api/payments', { invoiceId, amount, method, paidOn });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

describe('GET /api/payments/connection', () => {
  it('tells owners and admins the emulator is in use with test development keys, and when the last event arrived', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const before = await api('GET', '/api/payments/connection');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ mode: 'emulator', livemode: false, apiHost: new URL(emulator.url).host, developmentKeys: true, webhookSecretConfigured: false, lastWebhookReceivedAt: null });
    expect(JSON.stringify(before.body)).not.toContain('sk_test');

    // A card payment through the hosted checkout: its webhooks land in this agency's ledger.
    const inv = await issued(owner.agencyId, { total: '80.00' });
    const checkout = await api('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId });
    await control(emulator, `/checkout/sessions/${new URL(checkout.body.url).pathname.split('/').pop()!}/pay`);
    await emulator.idle();
    const after = await waitFor(async () => {
      const res = await api('GET', '/api/payments/connection');
      return res.body.lastWebhookReceivedAt ? res : undefined;
    });
    await emulator.idle();
    const ledger = await api('GET', '/api/payments/webhook-events?limit=1');
    expect((await api('GET', '/api/payments/connection')).body.lastWebhookReceivedAt).toBe(ledger.body.data[0].receivedAt);
    expect(after.body.lastWebhookReceivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // Another agency has received nothing: the time is of the agency's own ledger.
    expect((await serviceClient(h.url, newPrincipal('admin'))('GET', '/api/payments/connection')).body.lastWebhookReceivedAt).toBeNull();
  });

  it('refuses managers and members with 403 problem+json', async () => {
    const owner = newPrincipal('owner');
    for (const role of ['manager', 'member'] as const) {
      const res = await serviceClient(h.url, newPrincipal(role, owner.agencyId))('GET', '/api/payments/connection');
      expect([res.status, res.body.code]).toEqual([403, 'payment.forbidden']);
    }
  });
});

describe('GET /api/payments/summary', () => {
  it('sums per currency what payments paid in the period received and what was refunded, exactly', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const eur = await issued(owner.agencyId, { total: '1000.00' });
    const usd = await issued(owner.agencyId, { currency: 'USD', total: '500.00' });
    const jpy = await issued(owner.agencyId, { currency: 'JPY', total: '9000' });
    // 0.10 + 0.20 is 0.30000000000000004 in floats: the sums must stay decimals.
    await record(owner, eur.invoiceId, '0.10', '2026-03-01');
    const refundable = await record(owner, eur.invoiceId, '0.20', '2026-03-31', 'cash');
    await record(owner, eur.invoiceId, '100.00', '2026-04-01');
    await record(owner, eur.invoiceId, '7.00', '2026-02-28');
    await record(owner, usd.invoiceId, '250.55', '2026-03-15', 'check');
    await record(owner, jpy.invoiceId, '1234', '2026-03-10', 'other');
    expect((await api('POST', `/api/payments/${refundable.id}/refund`, { amount: '0.05' })).status).toBe(200);

    const march = await api('GET', '/api/payments/summary?from=2026-03-01&to=2026-03-31');
    expect(march.status).toBe(200);
    expect(march.body).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      data: [
        { currency: 'EUR', received: '0.30', refunded: '0.05', count: 2 },
        { currency: 'JPY', received: '1234', refunded: '0', count: 1 },
        { currency: 'USD', received: '250.55', refunded: '0.00', count: 1 },
      ],
    });
    const oneDay = await api('GET', '/api/payments/summary?from=2026-04-01&to=2026-04-01');
    expect(oneDay.body.data).toEqual([{ currency: 'EUR', received: '100.00', refunded: '0.00', count: 1 }]);
  });

  it('counts neither failed nor pending payments, and a full refund keeps what was received', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const inv = await issued(owner.agencyId, { total: '300.00' });
    const paid = await record(owner, inv.invoiceId, '120.00', '2026-05-05');
    await api('POST', `/api/payments/${paid.id}/refund`, {});
    // A Checkout Session opened but never paid makes no payment to count.
    await api('POST', '/api/payments/checkout', { invoiceId: inv.invoiceId });
    const res = await api('GET', '/api/payments/summary?from=2026-05-01&to=2026-05-31');
    expect(res.body.data).toEqual([{ currency: 'EUR', received: '120.00', refunded: '120.00', count: 1 }]);
  });

  it('defaults to the current month (UTC), and one bound alone makes the other the month’s', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const month = currentMonth(new Date());
    const inv = await issued(owner.agencyId, { total: '50.00' });
    await record(owner, inv.invoiceId, '12.34', month.from);
    await record(owner, inv.invoiceId, '1.00', '2020-01-15');
    const res = await api('GET', '/api/payments/summary');
    // The month may turn between the two reads only at midnight of its last day; then both are the new month's.
    expect([res.body.from, res.body.to]).toEqual([currentMonth(new Date()).from, currentMonth(new Date()).to]);
    if (res.body.from === month.from) expect(res.body.data).toEqual([{ currency: 'EUR', received: '12.34', refunded: '0.00', count: 1 }]);
    const fromOnly = await api('GET', '/api/payments/summary?from=2020-01-01');
    expect([fromOnly.status, fromOnly.body.code, fromOnly.body.errors?.[0]?.path]).toEqual([400, 'payment.invalid_period', 'query.to']);
    const toOnly = await api('GET', '/api/payments/summary?to=2020-01-31');
    expect(toOnly.body).toMatchObject({ from: '2020-01-31', to: '2020-01-31', data: [] });
    expect((await api('GET', '/api/payments/summary?from=2020-01-01&to=2020-01-31')).body.data).toEqual([{ currency: 'EUR', received: '1.00', refunded: '0.00', count: 1 }]);
  });

  it('sees only the agency’s own payments: the query has no agency filter, row-level security is the isolation', async () => {
    const a = newPrincipal('owner');
    const b = newPrincipal('owner');
    const invA = await issued(a.agencyId, { total: '900.00' });
    const invB = await issued(b.agencyId, { total: '900.00' });
    await record(a, invA.invoiceId, '400.00', '2026-06-10');
    await record(b, invB.invoiceId, '25.00', '2026-06-11');
    const period = '/api/payments/summary?from=2026-06-01&to=2026-06-30';
    expect((await serviceClient(h.url, a)('GET', period)).body.data).toEqual([{ currency: 'EUR', received: '400.00', refunded: '0.00', count: 1 }]);
    expect((await serviceClient(h.url, b)('GET', period)).body.data).toEqual([{ currency: 'EUR', received: '25.00', refunded: '0.00', count: 1 }]);
    expect((await serviceClient(h.url, newPrincipal('member'))('GET', period)).body.data).toEqual([]);
    // Any role reads the figures: the dashboard shows them to everyone.
    expect((await serviceClient(h.url, newPrincipal('member', a.agencyId))('GET', period)).body.data[0].received).toBe('400.00');
  });

  it('answers bad dates and periods with 400 problem+json naming the field', async () => {
    const api = serviceClient(h.url, newPrincipal('owner'));
    const cases: [string, string][] = [
      ['from=2026-13-01', 'from'],
      ['from=yesterday', 'from'],
      ['to=2026-02-30', 'to'],
      ['from=2026-03-01&to=2026-02-01', 'to'],
      ['from=2024-01-01&to=2026-01-01', 'to'],
      ['from=2026-01-01&from=2026-01-02', 'from'],
    ];
    for (const [query, field] of cases) {
      const res = await api('GET', `/api/payments/summary?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type'), query).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { path: string }) => e.path), query).toContain(`query.${field}`);
    }
  });
});

describe('GET /api/payments (extensions)', () => {
  it('carries the invoice number, filters by method and searches the number and the reference', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const one = await issued(owner.agencyId, { number: 'INV-2026-0101', total: '100.00' });
    const two = await issued(owner.agencyId, { number: 'INV-2026-0202', total: '100.00' });
    const cash = await record(owner, one.invoiceId, '10.00', '2026-07-01', 'cash');
    const transfer = (await api('POST', '/api/payments', { invoiceId: two.invoiceId, amount: '20.00', method: 'bank_transfer', paidOn: '2026-07-02', reference: 'SEPA 100%_ok' })).body;
    const all = await api('GET', '/api/payments');
    expect(all.body.data.map((p: { id: string; invoiceNumber: string }) => [p.id, p.invoiceNumber])).toEqual([
      [transfer.id, 'INV-2026-0202'],
      [cash.id, 'INV-2026-0101'],
    ]);
    expect((await api('GET', '/api/payments?method=cash')).body).toMatchObject({ total: 1, data: [{ id: cash.id }] });
    expect((await api('GET', '/api/payments?method=card')).body.total).toBe(0);
    expect((await api('GET', '/api/payments?search=0101')).body).toMatchObject({ total: 1, data: [{ id: cash.id }] });
    expect((await api('GET', '/api/payments?search=100%25_')).body).toMatchObject({ total: 1, data: [{ id: transfer.id }] });
    // `%` and `_` are themselves, not wildcards.
    expect((await api('GET', '/api/payments?search=SEPA_1')).body.total).toBe(0);
    expect((await api('GET', '/api/payments?method=wire')).status).toBe(400);
  });
});
