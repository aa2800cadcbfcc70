import type { PaymentStatus } from '@atelier/contracts';
import type { Money } from '@atelier/money';

/**
 * How far along a payment is. Stripe's objects only move forward, but webhooks arrive in any
 * order and fetched states can commit out of order: a change is applied only when it moves the
 * payment forward, so every order converges on the newest state. A failed attempt may still be
 * followed by a successful one on the same PaymentIntent (the payer tries another card).
 */
const RANK: Record<PaymentStatus, number> = { pending: 0, failed: 1, succeeded: 2, partially_refunded: 3, refunded: 4 };

export const isSettled = (s: PaymentStatus) => RANK[s] >= RANK.succeeded;

/** The status a settled payment has with `refunded` of `amount` given back. */
export function refundStatus(amount: Money, refunded: Money): PaymentStatus {
  if (refunded.isZero()) return 'succeeded';
  return refunded.compare(amount) >= 0 ? 'refunded' : 'partially_refunded';
}

export interface Observed {
  status: PaymentStatus;
  amountRefunded: Money;
}

/** The state after applying what was observed to what is held: never backwards. */
export function advance(held: Observed, seen: Observed, amount: Money): Observed {
  if (isSettled(held.status) || isSettled(seen.status)) {
    if (!isSettled(seen.status)) return held;
    const refunded = seen.amountRefunded.compare(held.amountRefunded) > 0 ? seen.amountRefunded : held.amountRefunded;
    return { status: refundStatus(amount, refunded), amountRefunded: refunded };
  }
  return RANK[seen.status] > RANK[held.status] ? seen : held;
}
