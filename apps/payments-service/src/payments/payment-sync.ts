import type { PaymentStatus } from '@atelier/contracts';
import { Money } from '@atelier/money';
import { writeEvents, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { selectInvoice, type InvoiceRow } from '../invoice-replica/invoice-repository.js';
import { paymentSnapshot } from './payment-mapper.js';
import { insertPayment, invoicePaymentSums, selectPaymentByIntent, updatePayment, type PaymentRow } from './payment-repository.js';
import { advance, isSettled, refundStatus } from './payment-state.js';
import type { IntentState } from './stripe-intent.js';

export interface SyncResult {
  payment: PaymentRow;
  changed: boolean;
  /** The state came from an event older than what the payment already holds: nothing was applied (fetch the PaymentIntent). */
  stale?: boolean;
}

/** What `syncPayment` decides by: the payment of the intent (locked) and the invoice's replica, both sent in one write. */
export type PaymentState = Promise<[PaymentRow | undefined, InvoiceRow | undefined]>;

export function readPaymentState(tx: Tx, seen: IntentState): PaymentState {
  return Promise.all([selectPaymentByIntent(tx, seen.intentId), selectInvoice(tx, seen.invoiceId)]);
}

/**
 * Brings the payment of a PaymentIntent to what Stripe holds now (inside the caller's tenant
 * transaction, the row locked), and writes the events of what changed to the outbox. Only a
 * step forward is applied (see `advance`), so deliveries in any order and concurrent fetches end
 * in the newest state; `refundFailed` lets a returned refund lower what was refunded. A state an
 * event's object told (not `current`) is refused as `stale` when the payment holds a newer one.
 * `state` may have been sent already, with an earlier statement (the webhook's ledger claim);
 * otherwise it is read now.
 */
export async function syncPayment(tx: Tx, seen: IntentState, options: { refundFailed?: boolean } = {}, state: PaymentState = readPaymentState(tx, seen)): Promise<SyncResult> {
  const currency = seen.amount.currency;
  const [held, invoice] = await state;
  if (!seen.current && held?.stripeStateAt && held.stripeStateAt > seen.asOf) return { payment: held, changed: false, stale: true };
  const before = held
    ? { status: held.status as PaymentStatus, amountRefunded: Money.round(held.amountRefunded, currency) }
    : { status: 'pending' as PaymentStatus, amountRefunded: Money.zero(currency) };
  let next = advance(before, seen, seen.amount);
  if (options.refundFailed && held && isSettled(before.status) && seen.amountRefunded.compare(before.amountRefunded) < 0) {
    next = { status: refundStatus(seen.amount, seen.amountRefunded), amountRefunded: seen.amountRefunded };
  }
  const becameSettled = isSettled(next.status) && !isSettled(before.status);
  let overpaid = held?.overpaid ?? false;
  if (becameSettled && invoice?.total) {
    const others = await invoicePaymentSums(tx, seen.invoiceId, held?.id);
    overpaid = Money.round(others.kept, currency).plus(seen.amount).compare(Money.round(invoice.total, currency)) > 0;
  }

  let payment: PaymentRow;
  if (!held) {
    const inserted = await insertPayment(tx, {
      agencyId: seen.agencyId,
      invoiceId: seen.invoiceId,
      clientId: seen.clientId ?? invoice?.clientId ?? null,
      amount: seen.amount.amount,
      amountRefunded: next.amountRefunded.amount,
      currency,
      status: next.status,
      method: 'card',
      paidOn: isSettled(next.status) ? seen.paidOn : null,
      stripePaymentIntentId: seen.intentId,
      stripeChargeId: seen.chargeId,
      failureReason: next.status === 'failed' ? seen.failureReason : null,
      overpaid,
      stripeStateAt: seen.asOf,
    });
    // Another transaction made it first (its unique index held this one back): apply over that.
    if (!inserted) return syncPayment(tx, seen, options);
    payment = inserted;
  } else if (
    held.status !== next.status ||
    !Money.round(held.amountRefunded, currency).equals(next.amountRefunded) ||
    // A completed session names no charge; the intent's own event, or a fetch, brings it.
    (held.stripeChargeId === null && seen.chargeId !== null)
  ) {
    payment = await updatePayment(tx, held.id, {
      status: next.status,
      amountRefunded: next.amountRefunded.amount,
      paidOn: held.paidOn ?? (isSettled(next.status) ? seen.paidOn : null),
      stripeChargeId: seen.chargeId ?? held.stripeChargeId,
      failureReason: next.status === 'failed' ? seen.failureReason : held.failureReason,
      overpaid,
      stripeStateAt: held.stripeStateAt && held.stripeStateAt > seen.asOf ? held.stripeStateAt : seen.asOf,
    });
  } else {
    return { payment: held, changed: false };
  }

  // Written in this transaction: its updated_at is the transaction's time.
  const at = payment.updatedAt;
  const clientId = payment.clientId ?? invoice?.clientId;
  // Checkout puts the client in the metadata; without it (and no replica yet) billing could not file the event.
  if (!clientId) throw new Error(`payment ${payment.id}: the client of invoice ${seen.invoiceId} is not known yet`);
  const snapshot = paymentSnapshot(payment, invoice?.number ?? null, clientId, at);
  const refundedNow = next.amountRefunded.minus(before.amountRefunded);
  const events: Parameters<typeof writeEvents>[2] = [];
  if (becameSettled) events.push({ name: 'payments.payment.succeeded.v1', agencyId: seen.agencyId, actorId: null, payload: snapshot });
  if (next.status === 'failed' && before.status !== 'failed') events.push({ name: 'payments.payment.failed.v1', agencyId: seen.agencyId, actorId: null, payload: { ...snapshot, failureReason: payment.failureReason } });
  if (isSettled(next.status) && refundedNow.isPositive()) events.push({ name: 'payments.payment.refunded.v1', agencyId: seen.agencyId, actorId: null, payload: { ...snapshot, refundAmount: refundedNow.amount } });
  // A refund the bank returned: the money is kept again, and billing hears the payment as it now stands.
  if (isSettled(next.status) && refundedNow.isNegative() && !becameSettled) events.push({ name: 'payments.payment.succeeded.v1', agencyId: seen.agencyId, actorId: null, payload: snapshot });
  if (events.length > 0) await writeEvents(tx, outbox, events);
  return { payment, changed: true };
}
