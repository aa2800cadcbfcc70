import { z } from 'zod';
import { CurrencyCode, IsoDate, Money, Timestamp, Uuid } from '../common.js';
import { InvoiceStatus } from './invoices.js';

/**
 * Extension: `GET /api/invoices/summary`, the figures of the invoice list's status tabs and of
 * the dashboard in one read. The filters are the list's (`search` matches the number and the
 * client's name, `from`/`to` inclusive issue days); `paidSince` (an instant: the start of the
 * agency's month on the dashboard) adds what was paid since then.
 */
export const InvoiceSummaryQuery = z
  .object({
    clientId: Uuid.optional(),
    projectId: Uuid.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    search: z.string().trim().max(200).optional(),
    paidSince: Timestamp.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.to < value.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after from' });
  });
export type InvoiceSummaryQuery = z.infer<typeof InvoiceSummaryQuery>;

/** Sums never mix currencies: one row per currency, sorted by code. */
export const InvoiceCurrencySum = z.object({ currency: CurrencyCode, total: Money, amountDue: Money, amountPaid: Money }).meta({ id: 'InvoiceCurrencySum' });
export type InvoiceCurrencySum = z.infer<typeof InvoiceCurrencySum>;

export const InvoiceSummary = z
  .object({
    /** Every status, in the contract's order, with its count (0 included) and sums. */
    statuses: z.array(z.object({ status: InvoiceStatus, count: z.number().int(), sums: z.array(InvoiceCurrencySum) })),
    /** Invoices paid in full at or after `paidSince` (their totals); null without `paidSince`. */
    paid: z.object({ count: z.number().int(), sums: z.array(InvoiceCurrencySum) }).nullable(),
  })
  .meta({ id: 'InvoiceSummary' });
export type InvoiceSummary = z.infer<typeof InvoiceSummary>;
