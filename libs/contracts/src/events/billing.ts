import { z } from 'zod';
import { CurrencyCode, IsoDate, Money, Timestamp, Uuid } from '../common.js';
import { InvoiceStatus } from '../http/invoices.js';

/**
 * A time entry as an invoice holds it: the entry's `version`, minutes and rate when billing
 * reserved it. projects compares the version with the entry's own, so an edit that slipped in
 * before the reservation was applied is detected, never silently billed at the old value.
 */
export const InvoicedTimeEntry = z.object({
  timeEntryId: Uuid,
  version: z.number().int().positive(),
  roundedMinutes: z.number().int().nonnegative(),
  hourlyRate: Money.nullable(),
  amount: Money,
});
export type InvoicedTimeEntry = z.infer<typeof InvoicedTimeEntry>;

/**
 * What projects reads of billing's invoice events (billing may send more): the invoice, its
 * version (growing with every change of the invoice) and every time entry on it now. An entry
 * left out of a later event of the same invoice was removed from it.
 */
export const InvoiceTimePayload = z.object({
  clientId: Uuid,
  invoiceId: Uuid,
  projectId: Uuid.nullable(),
  /** Null while draft; assigned once when first issued. */
  number: z.string().nullable(),
  currency: CurrencyCode,
  version: z.number().int().positive(),
  timeEntries: z.array(InvoicedTimeEntry),
});
export type InvoiceTimePayload = z.infer<typeof InvoiceTimePayload>;

/**
 * Issued: projects bills the entries; payments keeps its invoice replica from the optional
 * fields (added after v1 was published, so older events lack them): the figures, the status and
 * the SHA-256 of the public token (hex) that the public checkout looks the invoice up by.
 */
export const InvoiceIssuedPayload = InvoiceTimePayload.extend({
  number: z.string(),
  issuedAt: Timestamp,
  status: InvoiceStatus.optional(),
  issueDate: IsoDate.optional(),
  dueDate: IsoDate.nullable().optional(),
  total: Money.optional(),
  amountPaid: Money.optional(),
  amountDue: Money.optional(),
  publicTokenDigest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256').optional(),
});
export type InvoiceIssuedPayload = z.infer<typeof InvoiceIssuedPayload>;

/** A deleted draft: every entry it reserved is unbilled again. */
export const InvoiceDeletedPayload = z.object({ clientId: Uuid, invoiceId: Uuid, version: z.number().int().positive(), deletedAt: Timestamp });
export type InvoiceDeletedPayload = z.infer<typeof InvoiceDeletedPayload>;

/** A voided invoice: its entries (listed) are unbilled again. */
export const InvoiceVoidedPayload = InvoiceTimePayload.extend({ voidedAt: Timestamp });
export type InvoiceVoidedPayload = z.infer<typeof InvoiceVoidedPayload>;

/**
 * An issued invoice's state after a workflow step (sent, viewed, overdue, reminded, paid…): its
 * figures and status with the invoice's `version`, so the payments replica keeps the newest.
 */
export const InvoiceStatePayload = z.object({
  clientId: Uuid,
  invoiceId: Uuid,
  number: z.string(),
  currency: CurrencyCode,
  total: Money,
  amountPaid: Money,
  amountDue: Money,
  status: InvoiceStatus,
  dueDate: IsoDate.nullable(),
  version: z.number().int().positive(),
});
export type InvoiceStatePayload = z.infer<typeof InvoiceStatePayload>;

/** Emailed to `to` (and `cc`); the first send issues the number (`billing.invoice.issued.v1` in the same transaction). */
export const InvoiceSentPayload = InvoiceStatePayload.extend({ to: z.string(), cc: z.array(z.string()), sentAt: Timestamp });
export type InvoiceSentPayload = z.infer<typeof InvoiceSentPayload>;
/** The client opened the public page for the first time (a staff preview is no view). */
export const InvoiceViewedPayload = InvoiceStatePayload.extend({ viewedAt: Timestamp });
export type InvoiceViewedPayload = z.infer<typeof InvoiceViewedPayload>;
export const InvoiceOverduePayload = InvoiceStatePayload.extend({ overdueAt: Timestamp });
export type InvoiceOverduePayload = z.infer<typeof InvoiceOverduePayload>;
/** `reminderDay`: the settings' day after the due date that fired it; null for "remind now". */
export const InvoiceReminderSentPayload = InvoiceStatePayload.extend({
  to: z.string(),
  cc: z.array(z.string()),
  reminderDay: z.number().int().positive().nullable(),
  sentAt: Timestamp,
});
export type InvoiceReminderSentPayload = z.infer<typeof InvoiceReminderSentPayload>;
/** A payment (`paymentId`) moved the amounts; paid: nothing is due any more. */
export const InvoicePaymentAppliedPayload = InvoiceStatePayload.extend({ paymentId: Uuid.nullable(), paidAt: Timestamp.nullable() });
export type InvoicePaymentAppliedPayload = z.infer<typeof InvoicePaymentAppliedPayload>;
/**
 * A refund gave money back: `status` is where it left the invoice (`partially_paid`, or `sent`,
 * `viewed`, `overdue` when nothing stays paid); `amountRefunded` is this refund's amount.
 */
export const InvoiceRefundedPayload = InvoiceStatePayload.extend({ paymentId: Uuid, amountRefunded: Money, refundedAt: Timestamp });
export type InvoiceRefundedPayload = z.infer<typeof InvoiceRefundedPayload>;

export const billingEvents = {
  'billing.invoice.drafted.v1': InvoiceTimePayload,
  'billing.invoice.updated.v1': InvoiceTimePayload,
  'billing.invoice.deleted.v1': InvoiceDeletedPayload,
  'billing.invoice.issued.v1': InvoiceIssuedPayload,
  'billing.invoice.voided.v1': InvoiceVoidedPayload,
  'billing.invoice.sent.v1': InvoiceSentPayload,
  'billing.invoice.viewed.v1': InvoiceViewedPayload,
  'billing.invoice.overdue.v1': InvoiceOverduePayload,
  'billing.invoice.reminder_sent.v1': InvoiceReminderSentPayload,
  'billing.invoice.partially_paid.v1': InvoicePaymentAppliedPayload,
  'billing.invoice.paid.v1': InvoicePaymentAppliedPayload,
  'billing.invoice.refunded.v1': InvoiceRefundedPayload,
} as const;
