import Stripe from 'stripe';
import type { ListResponse, Payment, PaymentListItem, PaymentListQuery, RecordPaymentBody, RefundBody, Role } from '@atelier/contracts';
import { Money, MoneyError, toStripeAmount } from '@atelier/money';
import { decodeCursor, DomainError, encodeCursor, tenantTx, transactionNow, writeEvent, type Principal, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import type { PaymentsDeps } from '../deps.js';
import { selectInvoice, selectInvoiceForUpdate } from '../invoice-replica/invoice-repository.js';
import { paymentSnapshot, toPayment } from './payment-mapper.js';
import { insertPayment, invoicePaymentSums, selectPayment, selectPayments, updatePayment, upsertRefund, type PaymentRow } from './payment-repository.js';
import { refundStatus } from './payment-state.js';
import { syncPayment } from './payment-sync.js';
import { intentState } from './stripe-intent.js';

const MANAGERS: readonly Role[] = ['owner', 'admin', 'manager'];
/** The cursor names the order too: a cursor of the other order is a 400, not a wrong page. */
const cursorKey = (order: string) => `payments:createdAt:${order}`;

function requireManager(who: Principal): void {
  if (!MANAGERS.includes(who.role)) throw new DomainError('forbidden', 'payment.forbidden', 'Only managers and above record or refund payments');
}

const notFound = () => new DomainError('not_found', 'payment.not_found', 'No payment with this id');

/** An amount of the request in the payment's currency, refused (naming the field) when it has too many decimals. */
function amountIn(value: string, currency: string): Money {
  try {
    return Money.of(value, currency);
  } catch (err) {
    if (err instanceof MoneyError) throw new DomainError('invalid', 'payment.invalid_amount', err.message, { errors: [{ path: 'amount', message: `must have at most the decimals of ${currency}` }] });
    throw err;
  }
}

export async function listPayments(deps: PaymentsDeps, who: Principal, q: PaymentListQuery): Promise<ListResponse<PaymentListItem>> {
  const order = q.order ?? 'desc';
  const cursor = decodeCursor(q.cursor, cursorKey(order), 'timestamp');
  const { rows, total } = await tenantTx(
    deps.db,
    who.agencyId,
    (tx) => selectPayments(tx, { invoiceId: q.invoiceId, status: q.status, method: q.method, search: q.search || undefined, limit: q.limit, order, after: cursor ? { createdAt: new Date(cursor.value), id: cursor.id } : undefined }),
    { mode: 'snapshot' },
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { data: page.map((row) => ({ ...toPayment(row), invoiceNumber: row.invoiceNumber })), total, nextCursor: rows.length > q.limit && last ? encodeCursor({ key: cursorKey(order), value: last.createdAt.toISOString(), id: last.id }) : null };
}

export async function getPayment(deps: PaymentsDeps, who: Principal, id: string): Promise<Payment> {
  const row = await tenantTx(deps.db, who.agencyId, (tx) => selectPayment(tx, id), { mode: 'snapshot' });
  if (!row) throw notFound();
  return toPayment(row);
}

async function emitSnapshot(tx: Tx, row: PaymentRow, invoiceNumber: string | null, clientId: string, actorId: string, refundAmount?: Money): Promise<void> {
  const payload = paymentSnapshot(row, invoiceNumber, clientId, await transactionNow(tx));
  if (refundAmount) await writeEvent(tx, outbox, { name: 'payments.payment.refunded.v1', agencyId: row.agencyId, actorId, payload: { ...payload, refundAmount: refundAmount.amount } });
  else await writeEvent(tx, outbox, { name: 'payments.payment.succeeded.v1', agencyId: row.agencyId, actorId, payload });
}

/**
 * `POST /api/payments`: money received outside Stripe. More than the invoice still owes is
 * recorded as received and flagged (`overpaid`), for the agency to give back.
 */
export async function recordPayment(deps: PaymentsDeps, who: Principal, body: RecordPaymentBody): Promise<Payment> {
  requireManager(who);
  return tenantTx(deps.db, who.agencyId, async (tx) => {
    // The invoice row locked: two recordings at once see each other's amount.
    const invoice = await selectInvoiceForUpdate(tx, body.invoiceId);
    if (!invoice || invoice.status === 'draft') throw new DomainError('not_found', 'payment.invoice_not_found', 'No issued invoice with this id', { errors: [{ path: 'invoiceId', message: 'names no issued invoice' }] });
    if (invoice.status === 'void') throw new DomainError('conflict', 'payment.invoice_void', 'The invoice is void and can no longer be paid');
    const amount = amountIn(body.amount, invoice.currency);
    const held = await invoicePaymentSums(tx, invoice.id);
    const overpaid = invoice.total !== null && Money.round(held.kept, invoice.currency).plus(amount).compare(Money.round(invoice.total, invoice.currency)) > 0;
    const row = await insertPayment(tx, {
      agencyId: who.agencyId,
      invoiceId: invoice.id,
      clientId: invoice.clientId,
      amount: amount.amount,
      currency: invoice.currency,
      status: 'succeeded',
      method: body.method,
      reference: body.reference ?? null,
      paidOn: body.paidOn,
      overpaid,
    });
    if (!row) throw new Error('manual payment insert returned nothing');
    await emitSnapshot(tx, row, invoice.number, invoice.clientId, who.userId);
    return toPayment(row);
  });
}

/**
 * `POST /api/payments/:id/refund`: all that remains without an amount. A Stripe payment is
 * refunded through Stripe (idempotency key from the payment, what was refunded before and the
 * amount: a retried request makes one refund) and brought to Stripe's state at once; the
 * webhooks that follow find nothing left to change. A manual one is recorded.
 */
export async function refundPayment(deps: PaymentsDeps, who: Principal, id: string, body: RefundBody): Promise<Payment> {
  requireManager(who);
  const plan = await tenantTx(deps.db, who.agencyId, async (tx) => {
    const payment = await selectPayment(tx, id, true);
    if (!payment) throw notFound();
    if (payment.status !== 'succeeded' && payment.status !== 'partially_refunded') throw new DomainError('conflict', 'payment.not_refundable', `A ${payment.status} payment cannot be refunded`);
    const total = Money.round(payment.amount, payment.currency);
    const before = Money.round(payment.amountRefunded, payment.currency);
    const remaining = total.minus(before);
    const amount = body.amount === undefined ? remaining : amountIn(body.amount, payment.currency);
    if (amount.compare(remaining) > 0) throw new DomainError('invalid', 'payment.refund_too_large', `At most ${remaining.amount} ${payment.currency} remains to refund`, { errors: [{ path: 'amount', message: `must be at most ${remaining.amount}` }] });
    if (payment.stripePaymentIntentId) return { kind: 'stripe' as const, payment, amount, before };
    const refunded = before.plus(amount);
    const row = await updatePayment(tx, payment.id, { amountRefunded: refunded.amount, status: refundStatus(total, refunded) });
    await upsertRefund(tx, { agencyId: who.agencyId, paymentId: payment.id, amount: amount.amount, status: 'succeeded' });
    const invoice = await selectInvoice(tx, payment.invoiceId);
    const clientId = payment.clientId ?? invoice?.clientId;
    if (!clientId) throw new Error(`payment ${payment.id} has no client`);
    await emitSnapshot(tx, row, invoice?.number ?? null, clientId, who.userId, amount);
    return { kind: 'done' as const, result: toPayment(row) };
  });
  if (plan.kind === 'done') return plan.result;

  const { payment, amount, before } = plan;
  const intentId = payment.stripePaymentIntentId!;
  let units: number;
  try {
    units = toStripeAmount(amount);
  } catch (err) {
    // BHD 1.235: Stripe takes three-decimal currencies in steps of 0.010.
    if (err instanceof MoneyError) throw new DomainError('invalid', 'payment.invalid_amount', err.message, { errors: [{ path: 'amount', message: `cannot be refunded through Stripe exactly in ${amount.currency}` }] });
    throw err;
  }
  let refund: Stripe.Refund;
  try {
    refund = await deps.stripe.refunds.create(
      { payment_intent: intentId, amount: units, metadata: { payment_id: payment.id, agency_id: who.agencyId } },
      { idempotencyKey: `refund-${payment.id}-${before.amount}-${amount.amount}` },
    );
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && (err.code === 'amount_too_large' || err.code === 'charge_already_refunded')) {
      throw new DomainError('conflict', 'payment.not_refundable', err.message, { cause: err });
    }
    throw err;
  }
  const intent = await deps.stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] });
  const seen = intentState(intent);
  return tenantTx(deps.db, who.agencyId, async (tx) => {
    const synced = seen ? (await syncPayment(tx, seen)).payment : payment;
    await upsertRefund(tx, { agencyId: who.agencyId, paymentId: payment.id, amount: amount.amount, status: refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' ? 'failed' : 'pending', stripeRefundId: refund.id });
    return toPayment(synced);
  });
}
