import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@atelier/platform/testing';
import { startE2eStack, type E2eStack } from '../src/stack.js';

// The whole platform in child processes, through the gateway only (no browser): an invoice sent
// by billing is paid by the client on its public link through Stripe Checkout (the emulator), the
// webhook lands at payments, and billing marks the invoice paid; a refund takes it back.
let stack: E2eStack;
beforeAll(async () => {
  stack = await startE2eStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A browser-like client of the gateway: the session cookie and the app's Origin on every request. */
function client(base: string, withCookie = true) {
  let cookie = '';
  return async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), origin: base, ...(withCookie && cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set && withCookie) cookie = set.split(';')[0] ?? '';
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

describe('an invoice paid online', () => {
  it('is paid through the public link, recorded once by payments and marked paid by billing; a partial refund leaves it partially paid', async () => {
    const api = client(stack.url);
    expect((await api('POST', '/api/auth/signup', { agencyName: 'Pay Studio', name: 'Pat Pay', email: `pay-${Date.now()}@example.test`, password: 'a very good password' })).status).toBe(201);
    const created = await api('POST', '/api/clients', { name: 'ACME Corp', email: 'ada@acme.test', currency: 'EUR' });
    expect(created.status).toBe(201);
    // Billing learns of the client from crm's event.
    let invoice: Reply = { status: 0, body: null };
    await waitFor(async () => {
      invoice = await api('POST', '/api/invoices', { clientId: created.body.id, taxRate: '0', lineItems: [{ description: 'Design', quantity: '2', unitPrice: '60.00' }] });
      return invoice.status === 201;
    }, 20_000, 200);
    const id = invoice.body.id as string;
    expect((await api('POST', `/api/invoices/${id}/send`, { to: 'ada@acme.test' })).status).toBeLessThan(300);
    const sent = await api('GET', `/api/invoices/${id}`);
    expect(sent.body).toMatchObject({ status: 'sent', total: '120.00', amountDue: '120.00' });
    const token = new URL(sent.body.publicUrl).pathname.split('/').pop()!;

    // The client, with no session: Pay now.
    const anonymous = client(stack.url, false);
    let checkout: Reply = { status: 0, body: null };
    // payments learns of the issued invoice from billing's event.
    await waitFor(async () => {
      checkout = await anonymous('POST', `/api/public/invoices/${token}/checkout`);
      return checkout.status === 200;
    }, 20_000, 200);
    const sessionId = new URL(checkout.body.url).pathname.split('/').pop()!;
    const paid = await fetch(`${stack.stripe.url}/_emulator/checkout/sessions/${sessionId}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(paid.status).toBe(200);

    await waitFor(async () => (await api('GET', `/api/invoices/${id}`)).body.status === 'paid', 20_000);
    expect((await api('GET', `/api/invoices/${id}`)).body).toMatchObject({ status: 'paid', amountDue: '0.00', amountPaid: '120.00' });
    const payments = await api('GET', `/api/payments?invoiceId=${id}`);
    expect(payments.body.data).toEqual([expect.objectContaining({ amount: '120.00', currency: 'EUR', status: 'succeeded', method: 'card' })]);
    // Nothing is due any more: no second payment.
    expect((await anonymous('POST', `/api/public/invoices/${token}/checkout`)).status).toBe(409);

    const refunded = await api('POST', `/api/payments/${payments.body.data[0].id}/refund`, { amount: '20.00' });
    expect(refunded.body).toMatchObject({ status: 'partially_refunded', amountRefunded: '20.00' });
    await waitFor(async () => (await api('GET', `/api/invoices/${id}`)).body.amountDue === '20.00', 20_000);
    expect((await api('GET', `/api/invoices/${id}`)).body).toMatchObject({ status: 'partially_paid', amountPaid: '100.00' });
    await stack.stripe.idle();
    expect((await api('GET', `/api/payments?invoiceId=${id}`)).body.total).toBe(1);
    const ledger = await api('GET', '/api/payments/webhook-events?limit=200');
    expect(ledger.body.data.filter((e: { status: string }) => e.status === 'failed')).toEqual([]);
  });
});
