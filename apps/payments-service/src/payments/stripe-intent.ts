import type Stripe from 'stripe';
import type { PaymentStatus } from '@atelier/contracts';
import { fromStripeAmount, type Money } from '@atelier/money';

/** What a PaymentIntent, as Stripe holds it now, says of its payment. */
export interface IntentState {
  intentId: string;
  agencyId: string;
  invoiceId: string;
  clientId: string | null;
  amount: Money;
  amountRefunded: Money;
  status: PaymentStatus;
  chargeId: string | null;
  failureReason: string | null;
  paidOn: string | null;
  /**
   * When Stripe held this state, and whether it is the state now: a fetched PaymentIntent is
   * (`current`); an event's own object was, at the event's `created`, and may be outdated by now.
   */
  asOf: Date;
  current: boolean;
}

/** The id of a field Stripe sends as an id, or as the object when expanded. */
export const stripeIdOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === 'string' ? v : (v?.id ?? null));

const dayOf = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

/**
 * The payment a PaymentIntent stands for (fetched with `latest_charge` expanded); null when it is
 * not one of ours (no invoice in its metadata) or nothing has happened yet (no attempt). With
 * `eventCreated`, the PaymentIntent is the object of an event created then (unix seconds), not a
 * fetch: its charge is not expanded, so what was refunded is not known (0 here, and `advance`
 * never lowers it), and the payment is dated by the event.
 */
export function intentState(pi: Stripe.PaymentIntent, eventCreated?: number): IntentState | null {
  const agencyId = pi.metadata?.agency_id;
  const invoiceId = pi.metadata?.invoice_id;
  // Signed but not as Stripe makes them: nothing to go by.
  if (!agencyId || !invoiceId || typeof pi.currency !== 'string' || typeof pi.amount !== 'number') return null;
  const currency = pi.currency.toUpperCase();
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  let status: PaymentStatus;
  if (pi.status === 'succeeded') status = 'succeeded';
  else if (pi.status === 'processing') status = 'pending';
  else if (pi.status === 'canceled' || (pi.status === 'requires_payment_method' && pi.last_payment_error)) status = 'failed';
  else return null;
  const amount = fromStripeAmount(pi.amount, currency);
  const amountRefunded = fromStripeAmount(status === 'succeeded' ? (charge?.amount_refunded ?? 0) : 0, currency);
  return {
    intentId: pi.id,
    agencyId,
    invoiceId,
    clientId: pi.metadata?.client_id ?? null,
    amount,
    amountRefunded,
    status,
    chargeId: charge?.id ?? (typeof pi.latest_charge === 'string' ? pi.latest_charge : null),
    failureReason: status === 'failed' ? (pi.last_payment_error?.message ?? pi.cancellation_reason ?? 'failed') : null,
    paidOn: status === 'succeeded' ? dayOf(charge?.created ?? eventCreated ?? pi.created) : null,
    ...seenAt(eventCreated),
  };
}

const seenAt = (eventCreated: number | undefined): Pick<IntentState, 'asOf' | 'current'> =>
  eventCreated === undefined ? { asOf: new Date(), current: true } : { asOf: new Date(eventCreated * 1000), current: false };

/**
 * What a completed Checkout Session says of its payment: paid, or still unpaid while an
 * asynchronous method settles. Null when it names no PaymentIntent or is not one of ours.
 */
function sessionState(session: Stripe.Checkout.Session, eventCreated: number): IntentState | null {
  const agencyId = session.metadata?.agency_id;
  const invoiceId = session.metadata?.invoice_id;
  const intentId = stripeIdOf(session.payment_intent);
  if (!agencyId || !invoiceId || !intentId || typeof session.amount_total !== 'number' || typeof session.currency !== 'string') return null;
  let status: PaymentStatus;
  if (session.payment_status === 'paid') status = 'succeeded';
  else if (session.payment_status === 'unpaid') status = 'pending';
  else return null;
  const currency = session.currency.toUpperCase();
  return {
    intentId,
    agencyId,
    invoiceId,
    clientId: session.metadata?.client_id ?? null,
    amount: fromStripeAmount(session.amount_total, currency),
    amountRefunded: fromStripeAmount(0, currency),
    status,
    chargeId: null,
    failureReason: null,
    paidOn: status === 'succeeded' ? dayOf(eventCreated) : null,
    ...seenAt(eventCreated),
  };
}

/**
 * The payment state an event's own object tells, for the events whose object is the whole story:
 * a PaymentIntent's own events and a completed Checkout Session. Null for every other event
 * (charges and refunds carry no metadata; an asynchronous outcome's reason is on the intent):
 * those are applied from the PaymentIntent as Stripe holds it now.
 */
export function eventState(event: Stripe.Event): IntentState | null {
  const object = ((event.data as { object?: unknown } | undefined)?.object ?? {}) as { object?: string };
  if (event.type.startsWith('payment_intent.') && object.object === 'payment_intent') return intentState(object as Stripe.PaymentIntent, event.created);
  if (event.type === 'checkout.session.completed' && object.object === 'checkout.session') return sessionState(object as Stripe.Checkout.Session, event.created);
  return null;
}
