import { cardOutcome, TEST_PAYMENT_METHODS } from './cards.js';
import { checkAmount, parseCurrency } from './currency.js';
import { invalidRequest, StripeApiError } from './errors.js';
import { required, type Params, type Spec } from './params.js';
import { chargeCard, newPaymentIntent } from './payments.js';
import type { EmulatorState } from './state.js';
import type { Metadata, PaymentIntent, RequestContext } from './types.js';

export const CREATE_INTENT_SPEC = {
  amount: 'integer',
  currency: 'string',
  metadata: 'metadata',
  description: 'string',
  payment_method: 'string',
  payment_method_types: ['string'],
  confirm: 'boolean',
  receipt_email: 'string',
} as const satisfies Record<string, Spec>;

/**
 * `POST /v1/payment_intents`, optionally confirmed with one of Stripe's `pm_card_*` test
 * methods; a declined confirmation is a 402 card_error carrying the intent, as at Stripe.
 */
export function createIntent(state: EmulatorState, p: Params, ctx: RequestContext): PaymentIntent {
  const currency = parseCurrency(required(p.currency as string | undefined, 'currency'), 'currency');
  const amount = required(p.amount as number | undefined, 'amount');
  checkAmount(amount, currency, 'amount');
  if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'amount');
  const method = p.payment_method as string | undefined;
  if (p.confirm && !method) throw invalidRequest('You cannot confirm this PaymentIntent because it\'s missing a payment method.', 'payment_method', 'payment_intent_unexpected_state');
  const card = method ? TEST_PAYMENT_METHODS[method] : undefined;
  if (method && !card) throw invalidRequest(`No such PaymentMethod: '${method}'`, 'payment_method', 'resource_missing');
  const pi = newPaymentIntent(state, {
    amount, currency, metadata: (p.metadata as Metadata | undefined) ?? {}, description: (p.description as string | undefined) ?? null,
    payment_method_types: (p.payment_method_types as string[] | undefined) ?? ['card'],
  }, ctx);
  if (!p.confirm || !card) return pi;
  const outcome = cardOutcome(card)!;
  chargeCard(state, pi, outcome, { email: null, name: null }, ctx);
  if (!outcome.ok) {
    throw new StripeApiError(402, 'card_error', outcome.message, {
      code: outcome.code, ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}), charge: pi.latest_charge!, payment_intent: structuredClone(pi),
    });
  }
  return pi;
}
