import { Money } from '@atelier/money';
import type { Payment, PaymentMethod, PaymentStatus, PaymentSnapshotPayload } from '@atelier/contracts';
import type { PaymentRow } from './payment-repository.js';

/** numeric(19,4) as the currency's decimal string: "120.5000" EUR → "120.50". */
export const moneyOf = (value: string, currency: string): string => Money.round(value, currency).amount;

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    invoiceId: row.invoiceId,
    amount: moneyOf(row.amount, row.currency),
    amountRefunded: moneyOf(row.amountRefunded, row.currency),
    currency: row.currency,
    status: row.status as PaymentStatus,
    method: row.method as PaymentMethod,
    reference: row.reference,
    paidOn: row.paidOn,
    stripePaymentIntentId: row.stripePaymentIntentId,
    failureReason: row.failureReason,
    overpaid: row.overpaid,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The payment as its events carry it (events.md: a snapshot with the payment's version). */
export function paymentSnapshot(row: PaymentRow, invoiceNumber: string | null, clientId: string, occurredAt: Date): PaymentSnapshotPayload {
  return {
    clientId,
    paymentId: row.id,
    invoiceId: row.invoiceId,
    invoiceNumber,
    amount: moneyOf(row.amount, row.currency),
    amountRefunded: moneyOf(row.amountRefunded, row.currency),
    currency: row.currency,
    method: row.method as PaymentMethod,
    status: row.status as PaymentStatus,
    paidOn: row.paidOn,
    reference: row.reference,
    version: row.version,
    occurredAt: occurredAt.toISOString(),
  };
}
