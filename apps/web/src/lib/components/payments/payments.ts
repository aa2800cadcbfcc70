import type { Invoice, Payment, PaymentMethod, PaymentStatus } from '@atelier/contracts';
import { Money } from '@atelier/money';

export const paymentMethodLabels = {
  card: 'Card',
  bank_transfer: 'Bank transfer',
  cash: 'Cash',
  check: 'Check',
  other: 'Other',
} as const satisfies Record<PaymentMethod, string>;

/** What a manager records by hand: card payments come from Stripe. */
export const manualMethods = ['bank_transfer', 'cash', 'check', 'other'] as const satisfies readonly PaymentMethod[];
export type ManualMethod = (typeof manualMethods)[number];

export const paymentStatusLabels = {
  pending: 'Pending',
  succeeded: 'Succeeded',
  failed: 'Failed',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
} as const satisfies Record<PaymentStatus, string>;

export const paymentStatusBadges = {
  pending: 'badge-neutral',
  succeeded: 'badge-success',
  failed: 'badge-danger',
  partially_refunded: 'badge-warning',
  refunded: 'badge-neutral',
} as const satisfies Record<PaymentStatus, string>;

export const paymentMethods = Object.keys(paymentMethodLabels) as PaymentMethod[];
export const paymentStatuses = Object.keys(paymentStatusLabels) as PaymentStatus[];
export const isPaymentMethod = (v: string): v is PaymentMethod => v in paymentMethodLabels;
export const isPaymentStatus = (v: string): v is PaymentStatus => v in paymentStatusLabels;

/**
 * What of the payment can still be refunded, as the currency's decimal string; null when nothing
 * can (not succeeded, or all of it given back already).
 */
export function refundableRest(p: Pick<Payment, 'amount' | 'amountRefunded' | 'currency' | 'status'>): string | null {
  if (p.status !== 'succeeded' && p.status !== 'partially_refunded') return null;
  const rest = Money.of(p.amount, p.currency).minus(Money.of(p.amountRefunded, p.currency));
  return rest.isPositive() ? rest.amount : null;
}

/** The amount a person typed ("1,250.5" is not one: the API takes "1250.50"), checked before the server sees it. */
export function amountProblem(value: string, currency: string, max?: string): string | undefined {
  const text = value.trim();
  if (!text) return 'is required';
  if (!/^\d+(\.\d+)?$/.test(text)) return 'must be a number such as 120.50';
  let amount: Money;
  try {
    amount = Money.of(text, currency);
  } catch {
    return `has more decimals than ${currency} allows`;
  }
  if (!amount.isPositive()) return 'must be more than zero';
  if (max !== undefined && amount.compare(Money.of(max, currency)) > 0) return `must be at most ${max}`;
  return undefined;
}

/** Whether the invoice moved: the figures billing keeps from payments' events, or its status. */
export const invoiceMoved = (before: Pick<Invoice, 'amountPaid' | 'amountDue' | 'status'>, after: Pick<Invoice, 'amountPaid' | 'amountDue' | 'status'>): boolean =>
  before.amountPaid !== after.amountPaid || before.amountDue !== after.amountDue || before.status !== after.status;

/**
 * Reads `read` until `done` says the answer is the awaited one, at most `tries` times `delayMs`
 * apart; the last answer either way (billing applies a payment from its event, a moment later).
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, { tries = 10, delayMs = 300, wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) } = {}): Promise<{ value: T; settled: boolean }> {
  let value = await read();
  for (let i = 1; i < tries && !done(value); i++) {
    await wait(delayMs);
    value = await read();
  }
  return { value, settled: done(value) };
}

/** The first and last day (YYYY-MM-DD) of the month `now` falls in, in `timeZone` (an IANA name; UTC when unknown or invalid). */
export function monthDays(now: Date, timeZone: string | null | undefined): { from: string; to: string } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: timeZone || 'UTC', year: 'numeric', month: '2-digit' }).formatToParts(now);
  } catch {
    return monthDays(now, 'UTC');
  }
  const year = Number(parts.find((p) => p.type === 'year')?.value);
  const month = Number(parts.find((p) => p.type === 'month')?.value);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(last).padStart(2, '0')}` };
}
