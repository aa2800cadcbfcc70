import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, PaymentStatus } from '@atelier/contracts';
import { tenantTx, type Db } from '@atelier/platform';
import { newPrincipal, publishEnvelopes, serviceClient, stopTestService, waitFor, type TestPrincipal } from '@atelier/platform/testing';
import { inbox, invoices } from '../src/db/schema.js';
import { issueInvoice } from '../src/invoices/invoice-issue.js';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { outboxEvents, seedClient } from './invoice-helpers.js';

const QUEUE = 'billing.payments-ledger';
let h: BillingHarness;
let db: Db;
beforeAll(async () => {
  h = await startBilling();
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

/** An issued EUR invoice of 165.01 (138.66 at 19 %). */
async function issuedInvoice(who: TestPrincipal): Promise<string> {
  const clientId = await seedClient(db, who.agencyId);
  const created = await serviceClient(h.url, who)('POST', '/api/invoices', { clientId, taxRate: '19', lineItems: [{ description: 'Work', quantity: '1', unitPrice: '138.66' }] });
  await tenantTx(db, who.agencyId, (tx) => issueInvoice(tx, who, created.body.id));
  return created.body.id as string;
}

type Fields = { amount: string; amountRefunded?: string; status: PaymentStatus; version: number; refundAmount?: string };
function paymentEvent(agencyId: string, invoiceId: string, paymentId: string, f: Fields): EventEnvelope {
  const name = f.status === 'failed' ? 'payments.payment.failed.v1' : f.refundAmount !== undefined ? 'payments.payment.refunded.v1' : 'payments.payment.succeeded.v1';
  return {
    id: randomUUID(),
    name,
    occurredAt: new Date().toISOString(),
    agencyId,
    actorId: null,
    payload: {
      clientId: randomUUID(),
      paymentId,
      invoiceId,
      amount: f.amount,
      amountRefunded: f.amountRefunded ?? '0.00',
      currency: 'EUR',
      method: 'card',
      status: f.status,
      paidOn: '2026-12-01',
      version: f.version,
      occurredAt: new Date().toISOString(),
      ...(f.refundAmount !== undefined ? { refundAmount: f.refundAmount } : {}),
    },
    trace: {},
  };
}

async function deliver(events: EventEnvelope[]) {
  await publishEnvelopes(h.service.ctx.bus, events);
  for (const event of events) {
    await waitFor(async () =>
      tenantTx(db, event.agencyId, async (tx) => (await tx.select().from(inbox).where(and(eq(inbox.consumer, QUEUE), eq(inbox.eventId, event.id)))).length === 1),
    );
  }
}

const invoiceOf = async (who: TestPrincipal, id: string) => (await serviceClient(h.url, who)('GET', `/api/invoices/${id}`)).body;

describe('payments ledger (payments events → amount paid, status)', () => {
  it('165.01 paid in two parts: partially_paid then paid with 0.00 due; a refund moves it back; history and events follow', async () => {
    const who = newPrincipal('owner');
    const id = await issuedInvoice(who);
    const [p1, p2] = [randomUUID(), randomUUID()];
    await deliver([paymentEvent(who.agencyId, id, p1, { amount: '100.00', status: 'succeeded', version: 1 })]);
    expect(await invoiceOf(who, id)).toMatchObject({ status: 'partially_paid', amountPaid: '100.00', amountDue: '65.01', paidAt: null });
    await deliver([paymentEvent(who.agencyId, id, p2, { amount: '65.01', status: 'succeeded', version: 1 })]);
    const paid = await invoiceOf(who, id);
    expect(paid).toMatchObject({ status: 'paid', amountPaid: '165.01', amountDue: '0.00', amountOverpaid: '0.00' });
    expect(paid.paidAt).not.toBeNull();

    await deliver([paymentEvent(who.agencyId, id, p2, { amount: '65.01', amountRefunded: '65.01', status: 'refunded', version: 2, refundAmount: '65.01' })]);
    expect(await invoiceOf(who, id)).toMatchObject({ status: 'partially_paid', amountPaid: '100.00', amountDue: '65.01', paidAt: null });
    await deliver([paymentEvent(who.agencyId, id, p1, { amount: '100.00', amountRefunded: '100.00', status: 'refunded', version: 2, refundAmount: '100.00' })]);
    expect(await invoiceOf(who, id)).toMatchObject({ status: 'sent', amountPaid: '0.00', amountDue: '165.01' });

    const history = (await serviceClient(h.url, who)('GET', `/api/invoices/${id}/history`)).body.data.map((c: { status: string; actorId: string | null }) => [c.status, c.actorId]);
    expect(history).toEqual([
      ['draft', who.userId],
      ['sent', who.userId],
      ['partially_paid', null],
      ['paid', null],
      ['partially_paid', null],
      ['sent', null],
    ]);
    const events = (await outboxEvents(db, who.agencyId)).filter((e) => /paid|refunded/.test(e.name));
    expect(events.map((e) => [e.name, (e.payload as { status: string }).status])).toEqual([
      ['billing.invoice.partially_paid.v1', 'partially_paid'],
      ['billing.invoice.paid.v1', 'paid'],
      ['billing.invoice.refunded.v1', 'partially_paid'],
      ['billing.invoice.refunded.v1', 'sent'],
    ]);
    expect(events[2]!.payload).toMatchObject({ paymentId: p2, amountRefunded: '65.01', amountPaid: '100.00', amountDue: '65.01' });
    const versions = events.map((e) => (e.payload as { version: number }).version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    // Once money is back, the invoice can be voided again.
    expect((await serviceClient(h.url, who)('POST', `/api/invoices/${id}/void`)).status).toBe(200);
  });

  it('duplicates and any order converge on the same figures; a failed payment adds nothing', async () => {
    const who = newPrincipal('owner');
    const ids = [await issuedInvoice(who), await issuedInvoice(who), await issuedInvoice(who)];
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const story = (invoiceId: string) => [
      paymentEvent(who.agencyId, invoiceId, a, { amount: '100.00', status: 'succeeded', version: 1 }),
      paymentEvent(who.agencyId, invoiceId, a, { amount: '100.00', amountRefunded: '30.00', status: 'partially_refunded', version: 2, refundAmount: '30.00' }),
      paymentEvent(who.agencyId, invoiceId, b, { amount: '95.01', status: 'succeeded', version: 1 }),
      paymentEvent(who.agencyId, invoiceId, c, { amount: '500.00', status: 'failed', version: 1 }),
    ];
    // Distinct payment ids per invoice (a payment belongs to one invoice).
    const per = ids.map((invoiceId, i) => story(invoiceId).map((e) => ({ ...e, payload: { ...(e.payload as object), paymentId: `${(e.payload as { paymentId: string }).paymentId.slice(0, -1)}${i}` } })));
    const [inOrder, reversed, duplicated] = per as [EventEnvelope[], EventEnvelope[], EventEnvelope[]];
    await deliver(inOrder);
    await deliver([...reversed].reverse());
    await deliver([...duplicated, ...duplicated.map((e) => ({ ...e, id: randomUUID() })), duplicated[0]!].map((e) => e));
    for (const id of ids) expect(await invoiceOf(who, id)).toMatchObject({ status: 'paid', amountPaid: '165.01', amountDue: '0.00' });
  });

  it('an overpayment keeps nothing due and is flagged as amountOverpaid', async () => {
    const who = newPrincipal('owner');
    const id = await issuedInvoice(who);
    await deliver([paymentEvent(who.agencyId, id, randomUUID(), { amount: '200.00', status: 'succeeded', version: 1 })]);
    expect(await invoiceOf(who, id)).toMatchObject({ status: 'paid', amountPaid: '200.00', amountDue: '0.00', amountOverpaid: '34.99' });
    const [row] = await tenantTx(db, who.agencyId, (tx) => tx.select().from(invoices).where(eq(invoices.id, id)));
    expect(row!.amountDue).toBe('0.0000');
    expect((await serviceClient(h.url, who)('POST', `/api/invoices/${id}/void`)).body.code).toBe('invoice.has_payments');
  });
});
