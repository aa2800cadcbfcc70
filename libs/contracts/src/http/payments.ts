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

/** `search`: the invoice's number or the payment's reference, in part (an extension). */
export const PaymentListQuery = listQuery(['createdAt'] as const).extend({ invoiceId: Uuid.optional(), status: PaymentStatus.optional(), method: PaymentMethod.optional() });
export type PaymentListQuery = z.infer<typeof PaymentListQuery>;
/** A payment as the list shows it: the contract's payment plus its invoice's number (from payments' invoice replica; null before the invoice is known). */
export const PaymentListItem = Payment.extend({ invoiceNumber: z.string().nullable() }).meta({ id: 'PaymentListItem' });
export type PaymentListItem = z.infer<typeof PaymentListItem>;
export const PaymentList = listResponse(PaymentListItem).meta({ id: 'PaymentList' });

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

/**
 * How payments-service reaches Stripe (owner/admin): the local emulator or Stripe itself, test or
 * live keys, the API host, whether the webhook secret is the account's (not the development
 * default), and when this agency's last Stripe event arrived.
 */
export const PaymentsConnection = z
  .object({
    mode: z.enum(['emulator', 'stripe']),
    livemode: z.boolean(),
    apiHost: z.string(),
    /** The development keys `npm start` and the emulator share: never accepted in production. */
    developmentKeys: z.boolean(),
    webhookSecretConfigured: z.boolean(),
    lastWebhookReceivedAt: Timestamp.nullable(),
  })
  .meta({ id: 'PaymentsConnection' });
export type PaymentsConnection = z.infer<typeof PaymentsConnection>;

/** `from` and `to` inclusive (a payment's `paidOn`); both default to the current month (UTC). */
export const PaymentSummaryQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must be on or after from' });
export type PaymentSummaryQuery = z.infer<typeof PaymentSummaryQuery>;
/**
 * Per currency, payments paid in the window that succeeded (refunded ones too): `received` is
 * what they brought in, `refunded` what of it was given back since, `count` how many.
 */
export const PaymentSummary = z
  .object({
    from: IsoDate,
    to: IsoDate,
    data: z.array(z.object({ currency: z.string(), received: Money, refunded: Money, count: z.number().int() })),
  })
  .meta({ id: 'PaymentSummary' });
export type PaymentSummary = z.infer<typeof PaymentSummary>;
