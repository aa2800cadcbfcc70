import { z } from 'zod';
import { CurrencyCode, IsoDate, Money, Timestamp, Uuid } from '../common.js';

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'refunded', 'partially_refunded'] as const;
export const PaymentStatus = z.enum(PAYMENT_STATUSES);
export type PaymentStatus = z.infer<typeof PaymentStatus>;
export const PAYMENT_METHODS = ['card', 'bank_transfer', 'cash', 'check', 'other'] as const;
export const PaymentMethod = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/**
 * A payment as it is after the change, with a `version` that grows with every change of it:
 * billing keeps one row per payment and sums them into the invoice's `amountPaid`, so
 * redeliveries and any arrival order converge. `amount` is what was paid, `amountRefunded` what
 * went back so far (decimal strings in `currency`, the invoice's).
 */
export const PaymentSnapshotPayload = z.object({
  clientId: Uuid,
  paymentId: Uuid,
  invoiceId: Uuid,
  /** The invoice's number, for the timeline ("Payment of €1,190.00 received for INV-2026-0007"). */
  invoiceNumber: z.string().nullable().optional(),
  amount: Money,
  amountRefunded: Money,
  currency: CurrencyCode,
  method: PaymentMethod,
  status: PaymentStatus,
  /** The day the money arrived. */
  paidOn: IsoDate.nullable(),
  reference: z.string().nullable().optional(),
  version: z.number().int().positive(),
  occurredAt: Timestamp,
});
export type PaymentSnapshotPayload = z.infer<typeof PaymentSnapshotPayload>;

/** A failed attempt: `failureReason` as the processor said it, for the timeline. */
export const PaymentFailedPayload = PaymentSnapshotPayload.extend({ failureReason: z.string().nullable().optional() });
export type PaymentFailedPayload = z.infer<typeof PaymentFailedPayload>;

/** A refund: `refundAmount` is this refund's; `amountRefunded` the payment's total refunded so far. */
export const PaymentRefundedPayload = PaymentSnapshotPayload.extend({ refundAmount: Money });
export type PaymentRefundedPayload = z.infer<typeof PaymentRefundedPayload>;

export const paymentsEvents = {
  'payments.payment.succeeded.v1': PaymentSnapshotPayload,
  'payments.payment.failed.v1': PaymentFailedPayload,
  'payments.payment.refunded.v1': PaymentRefundedPayload,
} as const;
