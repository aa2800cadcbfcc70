import { cardOutcome, type CardOutcome } from './cards.js';
import { getSession } from './checkout.js';
import { invalidRequest, StripeApiError } from './errors.js';
import { newId } from './ids.js';
import { update, type EmulatorState } from './state.js';
import type { Charge, CheckoutSession, PaymentIntent, PaymentMethodDetails, RequestContext } from './types.js';

export interface Payer {
  email: string | null;
  name: string | null;
}

export function newPaymentIntent(state: EmulatorState, fields: Pick<PaymentIntent, 'amount' | 'currency' | 'metadata' | 'description' | 'payment_method_types'>, ctx: RequestContext): PaymentIntent {
  const pi: PaymentIntent = {
    id: newId.paymentIntent(),
    object: 'payment_intent',
    amount_received: 0,
    canceled_at: null,
    capture_method: 'automatic',
    created: state.now(),
    customer: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    payment_method: null,
    receipt_email: null,
    status: 'requires_payment_method',
    ...fields,
  };
  state.paymentIntents.add(pi);
  state.emit('payment_intent.created', pi, ctx);
  return pi;
}

function newCharge(state: EmulatorState, pi: PaymentIntent, details: PaymentMethodDetails, payer: Payer, status: Charge['status'], failure?: { code: string; message: string; declineCode?: string }): Charge {
  const paid = status === 'succeeded';
  const charge: Charge = {
    id: newId.charge(),
    object: 'charge',
    amount: pi.amount,
    amount_captured: paid ? pi.amount : 0,
    amount_refunded: 0,
    billing_details: payer,
    captured: paid,
    created: state.now(),
    currency: pi.currency,
    description: pi.description,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    livemode: false,
    metadata: { ...pi.metadata },
    outcome: status === 'pending' ? null : {
      network_status: failure ? 'declined_by_network' : 'approved_by_network',
      reason: failure?.declineCode ?? null,
      risk_level: 'normal',
      seller_message: failure ? 'The bank did not return any further details with this decline.' : 'Payment complete.',
      type: failure ? 'issuer_declined' : 'authorized',
    },
    paid,
    payment_intent: pi.id,
    payment_method: newId.paymentMethod(),
    payment_method_details: details,
    refunded: false,
    status,
  };
  state.charges.add(charge);
  return charge;
}

/** Charges a card against a PaymentIntent: the charge, the intent's new state and their events. */
export function chargeCard(state: EmulatorState, pi: PaymentIntent, outcome: CardOutcome, payer: Payer, ctx: RequestContext): Charge {
  const details: PaymentMethodDetails = { type: 'card', card: { brand: outcome.brand, last4: outcome.last4, exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, funding: 'credit' } };
  if (outcome.ok) {
    const charge = newCharge(state, pi, details, payer, 'succeeded');
    state.emit('charge.succeeded', charge, ctx);
    const previous = update(pi, { status: 'succeeded', amount_received: pi.amount, latest_charge: charge.id, payment_method: charge.payment_method, last_payment_error: null });
    state.emit('payment_intent.succeeded', pi, ctx, previous);
    return charge;
  }
  const charge = newCharge(state, pi, details, payer, 'failed', outcome);
  state.emit('charge.failed', charge, ctx);
  const error = { type: 'card_error' as const, code: outcome.code, ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}), message: outcome.message, charge: charge.id };
  const previous = update(pi, { status: 'requires_payment_method', latest_charge: charge.id, last_payment_error: error });
  state.emit('payment_intent.payment_failed', pi, ctx, previous);
  return charge;
}

function sessionIntent(state: EmulatorState, session: CheckoutSession, method: string, ctx: RequestContext): PaymentIntent {
  const existing = session.payment_intent ? state.paymentIntents.get(session.payment_intent) : undefined;
  if (existing) return existing;
  const data = state.sessionExtras.get(session.id)!.paymentIntentData;
  const pi = newPaymentIntent(state, { amount: session.amount_total, currency: session.currency, metadata: { ...data.metadata }, description: data.description, payment_method_types: [method] }, ctx);
  session.payment_intent = pi.id;
  return pi;
}

function openSession(state: EmulatorState, id: string): CheckoutSession {
  const session = getSession(state, id);
  if (session.status !== 'open') throw invalidRequest(`This Checkout Session is ${session.status === 'complete' ? 'already complete' : 'expired'}.`, undefined, 'checkout_session_not_open');
  return session;
}

function complete(state: EmulatorState, session: CheckoutSession, paymentStatus: CheckoutSession['payment_status'], payer: Payer, ctx: RequestContext): void {
  const previous = update(session, { status: 'complete', payment_status: paymentStatus, url: null, customer_details: { email: payer.email ?? session.customer_email, name: payer.name } });
  state.emit('checkout.session.completed', session, ctx, previous);
}

export type PayResult = { ok: true; session: CheckoutSession } | { ok: false; error: StripeApiError };

/** The hosted page's card payment: on success the session completes paid; a decline leaves it open. */
export function payWithCard(state: EmulatorState, sessionId: string, cardNumber: string, payer: Payer, ctx: RequestContext): PayResult {
  const session = openSession(state, sessionId);
  const outcome = cardOutcome(cardNumber);
  if (!outcome) return { ok: false, error: new StripeApiError(402, 'card_error', 'Your card number is incorrect.', { code: 'incorrect_number', param: 'card_number' }) };
  const pi = sessionIntent(state, session, 'card', ctx);
  chargeCard(state, pi, outcome, payer, ctx);
  if (!outcome.ok) {
    return { ok: false, error: new StripeApiError(402, 'card_error', outcome.message, { code: outcome.code, ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}) }) };
  }
  complete(state, session, 'paid', payer, ctx);
  return { ok: true, session };
}

/** A session with nothing to pay completes without a payment. */
export function completeFree(state: EmulatorState, sessionId: string, payer: Payer, ctx: RequestContext): CheckoutSession {
  const session = openSession(state, sessionId);
  if (session.amount_total !== 0) throw invalidRequest('This Checkout Session requires a payment.');
  complete(state, session, 'no_payment_required', payer, ctx);
  return session;
}

/**
 * SEPA Direct Debit: the session completes at once with `payment_status: unpaid` and the
 * intent processing; the bank's answer comes later (`settleBankDebit`).
 */
export function payWithBankDebit(state: EmulatorState, sessionId: string, iban: string, payer: Payer, ctx: RequestContext): CheckoutSession {
  const session = openSession(state, sessionId);
  if (!session.payment_method_types.includes('sepa_debit')) throw invalidRequest('This Checkout Session does not accept bank debits.', 'payment_method_types');
  const pi = sessionIntent(state, session, 'sepa_debit', ctx);
  const charge = newCharge(state, pi, { type: 'sepa_debit', sepa_debit: { last4: iban.slice(-4), country: iban.slice(0, 2) } }, payer, 'pending');
  state.emit('charge.pending', charge, ctx);
  const previous = update(pi, { status: 'processing', latest_charge: charge.id, payment_method: charge.payment_method, payment_method_types: ['sepa_debit'] });
  state.emit('payment_intent.processing', pi, ctx, previous);
  complete(state, session, 'unpaid', payer, ctx);
  state.sessionExtras.get(session.id)!.pendingDebit = { iban };
  return session;
}

/** The bank's answer to a pending debit: `async_payment_succeeded` (paid) or `async_payment_failed`. */
export function settleBankDebit(state: EmulatorState, sessionId: string, outcome: 'succeeded' | 'failed', ctx: RequestContext): CheckoutSession {
  const session = getSession(state, sessionId);
  const extras = state.sessionExtras.get(session.id)!;
  const pi = session.payment_intent ? state.paymentIntents.get(session.payment_intent) : undefined;
  if (!extras.pendingDebit || !pi || pi.status !== 'processing') throw invalidRequest('This Checkout Session has no bank debit awaiting its outcome.', 'id');
  clearTimeout(extras.pendingDebit.timer);
  delete extras.pendingDebit;
  const charge = state.charges.get(pi.latest_charge!)!;
  if (outcome === 'succeeded') {
    const chargePrevious = update(charge, { status: 'succeeded', paid: true, captured: true, amount_captured: charge.amount, outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' } });
    state.emit('charge.succeeded', charge, ctx, chargePrevious);
    state.emit('payment_intent.succeeded', pi, ctx, update(pi, { status: 'succeeded', amount_received: pi.amount }));
    state.emit('checkout.session.async_payment_succeeded', session, ctx, update(session, { payment_status: 'paid' }));
  } else {
    const failure = { code: 'insufficient_funds', message: 'The customer\'s account has insufficient funds to cover this payment.' };
    state.emit('charge.failed', charge, ctx, update(charge, { status: 'failed', failure_code: failure.code, failure_message: failure.message }));
    const error = { type: 'invalid_request_error' as const, code: 'payment_method_provider_decline', message: failure.message, charge: charge.id };
    state.emit('payment_intent.payment_failed', pi, ctx, update(pi, { status: 'requires_payment_method', last_payment_error: error }));
    state.emit('checkout.session.async_payment_failed', session, ctx);
  }
  return session;
}
