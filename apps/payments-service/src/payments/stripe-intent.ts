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
}

const dayOf = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

/**
 * The payment a PaymentIntent stands for (fetched with `latest_charge` expanded); null when it is
 * not one of ours (no invoice in its metadata) or nothing has happened yet (no attempt).
 */
export function intentState(pi: Stripe.PaymentIntent): IntentState | null {
  const agencyId = pi.metadata?.agency_id;
  const invoiceId = pi.metadata?.invoice_id;
  if (!agencyId || !invoiceId) return null;
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
    paidOn: status === 'succeeded' ? dayOf(charge?.created ?? pi.created) : null,
  };
}
