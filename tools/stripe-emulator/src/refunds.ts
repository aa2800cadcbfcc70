import { checkAmount, formatAmount } from './currency.js';
import { invalidRequest, noSuch } from './errors.js';
import { newId } from './ids.js';
import type { Params, Spec } from './params.js';
import { update, type EmulatorState } from './state.js';
import type { Charge, Metadata, Refund, RequestContext } from './types.js';

export const CREATE_REFUND_SPEC = {
  payment_intent: 'string',
  charge: 'string',
  amount: 'integer',
  reason: 'string',
  metadata: 'metadata',
} as const satisfies Record<string, Spec>;

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

function chargeToRefund(state: EmulatorState, p: Params): Charge {
  const chargeId = p.charge as string | undefined;
  const piId = p.payment_intent as string | undefined;
  if (!chargeId && !piId) throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', 'payment_intent');
  if (chargeId) {
    const charge = state.charges.get(chargeId);
    if (!charge) throw noSuch('charge', chargeId, 'charge');
    if (piId && charge.payment_intent !== piId) throw invalidRequest(`Charge ${chargeId} does not belong to PaymentIntent ${piId}.`, 'charge');
    return charge;
  }
  const pi = state.paymentIntents.get(piId!);
  if (!pi) throw noSuch('payment_intent', piId!, 'payment_intent');
  const charge = pi.latest_charge ? state.charges.get(pi.latest_charge) : undefined;
  if (!charge || pi.status !== 'succeeded') {
    throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, 'payment_intent', 'charge_not_refundable');
  }
  return charge;
}

/**
 * `POST /v1/refunds`: partial or full, against a PaymentIntent or a Charge. The charge's
 * `amount_refunded` accumulates and `refunded` turns true when nothing remains; asking for
 * more than remains fails as Stripe does.
 */
export function createRefund(state: EmulatorState, p: Params, ctx: RequestContext): Refund {
  const charge = chargeToRefund(state, p);
  if (charge.status !== 'succeeded') throw invalidRequest(`Charge ${charge.id} has not succeeded and cannot be refunded.`, 'charge', 'charge_not_refundable');
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, 'charge', 'charge_already_refunded');
  const amount = (p.amount as number | undefined) ?? remaining;
  if (amount < 1) throw invalidRequest('Invalid positive integer', 'amount');
  checkAmount(amount, charge.currency, 'amount');
  if (amount > remaining) {
    throw invalidRequest(`Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`, 'amount', 'amount_too_large');
  }
  const reason = (p.reason as string | undefined) ?? null;
  if (reason !== null && !REASONS.includes(reason)) throw invalidRequest(`Invalid reason: must be one of ${REASONS.join(', ')}`, 'reason');
  const refund: Refund = {
    id: newId.refund(),
    object: 'refund',
    amount,
    charge: charge.id,
    created: state.now(),
    currency: charge.currency,
    failure_reason: null,
    metadata: (p.metadata as Metadata | undefined) ?? {},
    payment_intent: charge.payment_intent,
    reason,
    status: 'succeeded',
  };
  state.refunds.add(refund);
  state.emit('refund.created', refund, ctx);
  const total = charge.amount_refunded + amount;
  const previous = update(charge, { amount_refunded: total, refunded: total === charge.amount });
  state.emit('charge.refunded', charge, ctx, previous);
  return refund;
}

/** A refund the bank returns (a control): it fails, and the charge gets its amount back. */
export function failRefund(state: EmulatorState, id: string, ctx: RequestContext): Refund {
  const refund = state.refunds.get(id);
  if (!refund) throw noSuch('refund', id);
  if (refund.status === 'failed') throw invalidRequest(`Refund ${id} has already failed.`);
  const previous = update(refund, { status: 'failed', failure_reason: 'expired_or_canceled_card' });
  state.emit('refund.updated', refund, ctx, previous);
  state.emit('refund.failed', refund, ctx, previous);
  const charge = state.charges.get(refund.charge)!;
  update(charge, { amount_refunded: charge.amount_refunded - refund.amount, refunded: false });
  state.emit('charge.refund.updated', refund, ctx, previous);
  return refund;
}
