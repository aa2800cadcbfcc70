import { z } from 'zod';
import { IsoDate, Money, NonNegativeMoney, Timestamp, Uuid, listQuery, listResponse, optionalText } from '../common.js';
import { PaymentMethod, PaymentStatus } from '../events/payments.js';

/** `{ invoiceId }` (staff): a Checkout Session for the invoice's amount due. */
export const CheckoutBody = z.object({ invoiceId: Uuid }).strict().meta({ id: 'CheckoutBody' });
export type CheckoutBody = z.infer<typeof CheckoutBody>;
/** Where to send the payer: the session's hosted checkout page. */
export const CheckoutSessionResponse = z.object({ url: z.url() }).meta({ id: 'CheckoutSessionResponse' });
export type CheckoutSessionResponse = z.infer<typeof CheckoutSessionResponse>;

/**
 * The contract's payment plus `failureReason` (a failed attempt, as the processor said it),
 * `overpaid` (it took more than the invoice still owed: refund the difference) and `version`.
 */
export const Payment = z
  .object({
    id: Uuid,
    invoiceId: Uuid,
    amount: Money,
    amountRefunded: Money,
    currency: z.string(),
    status: PaymentStatus,
    method: PaymentMethod,
    reference: z.string().nullable(),
    paidOn: IsoDate.nullable(),
    stripePaymentIntentId: z.string().nullable(),
    failureReason: z.string().nullable(),
    overpaid: z.boolean(),
    version: z.number().int(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof Payment>;

export const PaymentListQuery = listQuery(['createdAt'] as const).extend({ invoiceId: Uuid.optional(), status: PaymentStatus.optional() });
export type PaymentListQuery = z.infer<typeof PaymentListQuery>;
export const PaymentList = listResponse(Payment).meta({ id: 'PaymentList' });

/** Manual methods only: card payments come from Stripe. */
export const ManualPaymentMethod = z.enum(['bank_transfer', 'cash', 'check', 'other']);
export const RecordPaymentBody = z
  .object({
    invoiceId: Uuid,
    amount: NonNegativeMoney.refine((v) => Number(v) > 0, 'must be more than zero'),
    method: ManualPaymentMethod,
    paidOn: IsoDate,
    reference: optionalText(200),
  })
  .strict()
  .meta({ id: 'RecordPaymentBody' });
export type RecordPaymentBody = z.infer<typeof RecordPaymentBody>;

/** No amount: what remains of the payment. */
export const RefundBody = z
  .object({ amount: NonNegativeMoney.refine((v) => Number(v) > 0, 'must be more than zero').optional() })
  .strict()
  .meta({ id: 'RefundBody' });
export type RefundBody = z.infer<typeof RefundBody>;

export const WEBHOOK_EVENT_STATUSES = ['processed', 'ignored', 'failed'] as const;
export const WebhookEventStatus = z.enum(WEBHOOK_EVENT_STATUSES);
/** One Stripe event as the ledger holds it; `stripeEventId` is Stripe's `evt_…`. */
export const WebhookEvent = z
  .object({
    id: Uuid,
    stripeEventId: z.string(),
    type: z.string(),
    receivedAt: Timestamp,
    status: WebhookEventStatus,
    attempts: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'WebhookEvent' });
export type WebhookEvent = z.infer<typeof WebhookEvent>;
export const WebhookEventListQuery = listQuery(['receivedAt'] as const).extend({ status: WebhookEventStatus.optional(), type: z.string().max(100).optional() });
export type WebhookEventListQuery = z.infer<typeof WebhookEventListQuery>;
export const WebhookEventList = listResponse(WebhookEvent).meta({ id: 'WebhookEventList' });
