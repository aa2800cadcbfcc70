import type Stripe from 'stripe';
import { stripeIdOf } from '../payments/stripe-intent.js';

/** The events that move a payment or a session; every other type is recorded as ignored. */
export const HANDLED_EVENTS = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.canceled',
  'charge.refunded',
  'refund.created',
  'refund.updated',
  'refund.failed',
]);

type Obj = { id?: string; object?: string; metadata?: Record<string, string> | null; payment_intent?: string | { id: string } | null };

/** The event's object; a signed event without one (not as Stripe sends them) is treated as about nothing. */
export const objectOf = (event: Stripe.Event): Obj => {
  const o = (event.data as { object?: unknown } | undefined)?.object;
  return o && typeof o === 'object' ? (o as Obj) : {};
};

/** The PaymentIntent an event's object belongs to, if any. */
export function intentIdOf(event: Stripe.Event): string | null {
  const o = objectOf(event);
  if (o.object === 'payment_intent') return o.id ?? null;
  return stripeIdOf(o.payment_intent);
}

/** The agency named in the object's own metadata (sessions and intents carry it; charges and refunds do not). */
export function agencyOfObject(event: Stripe.Event): string | null {
  const agency = objectOf(event).metadata?.agency_id;
  return agency && /^[0-9a-f-]{36}$/i.test(agency) ? agency : null;
}
