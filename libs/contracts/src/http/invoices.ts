import { isCurrencyCode, minorUnits } from '@atelier/money';
import { z } from 'zod';
import {
  CurrencyCode,
  IsoDate,
  KnownCurrencyCode,
  Money,
  NonNegativeMoney,
  Percent,
  Timestamp,
  Uuid,
  listQuery,
  listResponse,
  optionalText,
} from '../common.js';
import { InvoiceRounding } from './invoicing-settings.js';

export const INVOICE_STATUSES = ['draft', 'sent', 'viewed', 'partially_paid', 'paid', 'overdue', 'void'] as const;
export const InvoiceStatus = z.enum(INVOICE_STATUSES);
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;
export const DiscountType = z.enum(['amount', 'percent']);
export type DiscountType = z.infer<typeof DiscountType>;

/** Most lines one invoice may carry; the 500-line invoice of the benchmarks fits. */
export const MAX_INVOICE_LINES = 1_000;
/** Up to two named taxes on the same base (Québec: GST 5 % + QST 9.975 %). */
export const MAX_INVOICE_TAXES = 2;

/** A quantity with up to 3 decimals ("1.5" hours, "0.125" units); negative for a credit line. */
export const Quantity = z
  .string()
  .regex(/^-?\d{1,10}(\.\d{1,3})?$/, 'must be a decimal string with at most 3 decimals such as "1.5"')
  .meta({ description: 'Decimal string, at most 3 decimals', example: '1.5' });

/** A tax rate: a percentage below 100 ("19", "9.975"). */
export const TaxRate = Percent.refine((v) => Number(v) < 100, 'must be below 100');

/** One named tax of the document, applied to every line without its own `taxRate`. */
export const InvoiceTax = z
  .object({ name: z.string().trim().min(1, 'is required').max(40), rate: TaxRate })
  .strict()
  .meta({ id: 'InvoiceTax' });
export type InvoiceTax = z.infer<typeof InvoiceTax>;

/** What one tax adds up to over the invoice: `base` the taxable amount it applies to. */
export const InvoiceTaxLine = z
  .object({ name: z.string().nullable(), rate: Percent, base: Money, amount: Money })
  .meta({ id: 'InvoiceTaxLine' });
export type InvoiceTaxLine = z.infer<typeof InvoiceTaxLine>;

/**
 * `amount` = quantity × unitPrice rounded to the currency (libs/money `invoiceTotals`);
 * `taxRate` overrides the document's taxes for this line ("0": exempt), null: the document's
 * apply. `timeEntryIds`: the time entries this line bills (empty for a manual line).
 */
export const LineItem = z
  .object({
    id: Uuid,
    description: z.string(),
    quantity: Quantity,
    unitPrice: Money,
    amount: Money,
    taxRate: Percent.nullable(),
    sortOrder: z.number().int(),
    timeEntryIds: z.array(Uuid),
    /**
     * The line's time entries projects refused to reserve (`changed` since billing saw them, on
     * another invoice, or deleted): the line is stale and the invoice cannot be issued
     * (`invoice.time_changed`) until it is edited or removed. Billing always sends it (empty when
     * none); optional so clients built before it still parse.
     */
    staleTimeEntries: z.array(z.object({ timeEntryId: Uuid, reason: z.enum(['changed', 'on_another_invoice', 'deleted']) })).optional(),
  })
  .meta({ id: 'LineItem' });
export type LineItem = z.infer<typeof LineItem>;

/**
 * The contract's invoice plus: `taxes` (the document's taxes: the one unnamed `taxRate`, or up to
 * two named ones, in which case `taxRate` is null), `taxLines` (each tax's total), `clientName`, `version`
 * (grows with every change; events carry it), `voidedAt`, `createdAt`, `updatedAt`. Every
 * figure comes from libs/money `invoiceTotals`. `number` is null while draft.
 */
export const Invoice = z
  .object({
    id: Uuid,
    number: z.string().nullable(),
    clientId: Uuid,
    clientName: z.string().nullable(),
    projectId: Uuid.nullable(),
    status: InvoiceStatus,
    issueDate: IsoDate.nullable(),
    dueDate: IsoDate.nullable(),
    currency: CurrencyCode,
    lineItems: z.array(LineItem),
    subtotal: Money,
    discountType: DiscountType.nullable(),
    discountValue: z.string().nullable(),
    discountAmount: Money,
    taxRate: Percent.nullable(),
    taxes: z.array(z.object({ name: z.string().nullable(), rate: Percent })),
    taxAmount: Money,
    taxLines: z.array(InvoiceTaxLine),
    total: Money,
    amountPaid: Money,
    amountDue: Money,
    /** Extension: what was paid beyond the total (an overpayment flag; `amountDue` stays 0). "0.00" when none. */
    amountOverpaid: Money.optional(),
    /** Extension: how this invoice's taxes are rounded, frozen from the settings when the draft was made (a later settings change does not move it). */
    rounding: InvoiceRounding,
    notes: z.string().nullable(),
    terms: z.string().nullable(),
    /** The public page's address; null while draft (the token is made when first issued). */
    publicUrl: z.string().nullable(),
    sentAt: Timestamp.nullable(),
    viewedAt: Timestamp.nullable(),
    paidAt: Timestamp.nullable(),
    voidedAt: Timestamp.nullable(),
    version: z.number().int().positive(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Invoice' });
export type Invoice = z.infer<typeof Invoice>;

/** A line as a request sends it: `id` keeps an existing line (and its time entries); a line without one is new. */
export const LineItemInput = z
  .object({
    id: Uuid.optional(),
    description: z.string().trim().min(1, 'is required').max(2_000),
    quantity: Quantity,
    unitPrice: Money,
    taxRate: TaxRate.nullable().optional(),
    /** Defaults to the line's position in the list. */
    sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();
export type LineItemInput = z.infer<typeof LineItemInput>;

type DiscountFields = { discountType?: DiscountType | null | undefined; discountValue?: string | null | undefined };
/** A percentage discount is at most 100; an amount discount is money (its currency's scale is checked with the lines). */
const discountRule = (value: DiscountFields, ctx: z.RefinementCtx) => {
  const { discountType: type, discountValue: v } = value;
  if (v === undefined || v === null) return;
  if (type === undefined || type === null) {
    ctx.addIssue({ code: 'custom', path: ['discountType'], message: 'is required with discountValue' });
    return;
  }
  if (type === 'percent') {
    if (!Percent.safeParse(v).success || Number(v) > 100) ctx.addIssue({ code: 'custom', path: ['discountValue'], message: 'must be a percentage from 0 to 100 such as "10"' });
  } else if (!NonNegativeMoney.safeParse(v).success) {
    ctx.addIssue({ code: 'custom', path: ['discountValue'], message: 'must be a non-negative decimal string such as "50.00"' });
  }
};

/** Unit prices and an amount discount may have at most the currency's decimals (when the body names the currency; else the service checks against the invoice's). */
const linesInCurrency = (value: { currency?: string | undefined; lineItems?: LineItemInput[] | undefined } & DiscountFields, ctx: z.RefinementCtx) => {
  const currency = value.currency;
  if (currency === undefined || !isCurrencyCode(currency)) return;
  const scale = minorUnits(currency);
  const tooPrecise = (amount: string) => (amount.includes('.') ? amount.length - amount.indexOf('.') - 1 : 0) > scale;
  const message = scale === 0 ? `must be a whole amount in ${currency}` : `must have at most ${scale} decimals in ${currency}`;
  value.lineItems?.forEach((line, i) => {
    if (tooPrecise(line.unitPrice)) ctx.addIssue({ code: 'custom', path: ['lineItems', i, 'unitPrice'], message });
  });
  if (value.discountType === 'amount' && typeof value.discountValue === 'string' && tooPrecise(value.discountValue)) {
    ctx.addIssue({ code: 'custom', path: ['discountValue'], message });
  }
};

const datesInOrder = (value: { issueDate?: string | null | undefined; dueDate?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (value.issueDate && value.dueDate && value.dueDate < value.issueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'must be on or after issueDate' });
};

const uniqueLineIds = (value: { lineItems?: LineItemInput[] | undefined }, ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  value.lineItems?.forEach((line, i) => {
    if (line.id === undefined) return;
    if (seen.has(line.id)) ctx.addIssue({ code: 'custom', path: ['lineItems', i, 'id'], message: 'appears twice' });
    seen.add(line.id);
  });
};

const invoiceFields = {
  clientId: Uuid,
  projectId: Uuid.nullable().optional(),
  /** Defaults to the client's currency. */
  currency: KnownCurrencyCode.optional(),
  /** Defaults to today in the agency's timezone when issued. */
  issueDate: IsoDate.nullable().optional(),
  /** Defaults to issueDate + the settings' `defaultDueDays`. */
  dueDate: IsoDate.nullable().optional(),
  lineItems: z.array(LineItemInput).max(MAX_INVOICE_LINES).optional(),
  discountType: DiscountType.nullable().optional(),
  discountValue: z.string().max(20).nullable().optional(),
  /** One unnamed document rate; give `taxes` instead for named ones (not both). Defaults to the settings' `defaultTaxRate`. */
  taxRate: TaxRate.nullable().optional(),
  taxes: z.array(InvoiceTax).max(MAX_INVOICE_TAXES).optional(),
  notes: optionalText(10_000),
  terms: optionalText(10_000),
};

const oneTaxForm = (value: { taxRate?: string | null | undefined; taxes?: InvoiceTax[] | undefined }, ctx: z.RefinementCtx) => {
  if (value.taxRate !== undefined && value.taxRate !== null && value.taxes !== undefined && value.taxes.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['taxes'], message: 'give either taxRate or taxes, not both' });
  }
};

/** A new draft. */
export const CreateInvoiceBody = z
  .object(invoiceFields)
  .strict()
  .superRefine(discountRule)
  .superRefine(linesInCurrency)
  .superRefine(datesInOrder)
  .superRefine(uniqueLineIds)
  .superRefine(oneTaxForm)
  .meta({ id: 'CreateInvoiceBody' });
export type CreateInvoiceBody = z.infer<typeof CreateInvoiceBody>;

/**
 * A draft's changes. `lineItems`, when given, replaces the whole list: lines named by `id` are
 * kept (their time entries with them), lines left out are removed (their time released).
 */
export const UpdateInvoiceBody = z
  .object({ ...invoiceFields, clientId: Uuid.optional() })
  .strict()
  .superRefine(discountRule)
  .superRefine(linesInCurrency)
  .superRefine(datesInOrder)
  .superRefine(uniqueLineIds)
  .superRefine(oneTaxForm)
  .meta({ id: 'UpdateInvoiceBody' });
export type UpdateInvoiceBody = z.infer<typeof UpdateInvoiceBody>;

export const InvoiceSortField = ['issueDate', 'dueDate', 'number', 'total', 'createdAt', 'updatedAt', 'status'] as const;
export type InvoiceSortField = (typeof InvoiceSortField)[number];
const fromTo = (value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) => {
  if (value.from && value.to && value.to < value.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after from' });
};
/** `from`/`to`: inclusive issue days. `search` matches the number and the client's name. Without `sort`: newest first. */
export const InvoiceListQuery = listQuery(InvoiceSortField)
  .extend({
    status: InvoiceStatus.optional(),
    clientId: Uuid.optional(),
    projectId: Uuid.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .superRefine(fromTo);
export type InvoiceListQuery = z.infer<typeof InvoiceListQuery>;
export const InvoiceList = listResponse(Invoice);

export const InvoiceGroupBy = z.enum(['entry', 'task', 'user', 'day']);
export type InvoiceGroupBy = z.infer<typeof InvoiceGroupBy>;
/** A draft from the project's unbilled billable time between `from` and `to` (inclusive work days). */
export const InvoiceFromTimeBody = z
  .object({ projectId: Uuid, from: IsoDate.optional(), to: IsoDate.optional(), groupBy: InvoiceGroupBy.default('task') })
  .strict()
  .superRefine(fromTo)
  .meta({ id: 'InvoiceFromTimeBody' });
export type InvoiceFromTimeBody = z.infer<typeof InvoiceFromTimeBody>;

export const UnbilledQuery = z.object({ clientId: Uuid.optional() });
export type UnbilledQuery = z.infer<typeof UnbilledQuery>;
/** One project's unbilled billable time: rounded minutes and their amount in the project's currency. */
export const UnbilledProject = z
  .object({
    projectId: Uuid,
    projectName: z.string(),
    clientId: Uuid,
    clientName: z.string().nullable(),
    currency: CurrencyCode,
    minutes: z.number().int(),
    amount: Money,
    entryCount: z.number().int(),
  })
  .meta({ id: 'UnbilledProject' });
export type UnbilledProject = z.infer<typeof UnbilledProject>;
export const UnbilledList = z.object({ data: z.array(UnbilledProject) }).meta({ id: 'UnbilledList' });
export type UnbilledList = z.infer<typeof UnbilledList>;

const Email = z.email().max(254).transform((e) => e.toLowerCase());
export const MAX_CC = 10;
/** `to` defaults to the client's primary contact, else the client's email. */
export const SendInvoiceBody = z
  .object({ to: Email.optional(), cc: z.array(Email).max(MAX_CC).optional(), message: optionalText(5_000) })
  .strict()
  .meta({ id: 'SendInvoiceBody' });
export type SendInvoiceBody = z.infer<typeof SendInvoiceBody>;
/** A reminder now: the same recipients as send. */
export const RemindBody = SendInvoiceBody.meta({ id: 'RemindBody' });
export type RemindBody = z.infer<typeof RemindBody>;

/** One step of an invoice's history; `actorId` null for system work (overdue, a payment). */
export const InvoiceStatusChange = z
  .object({ status: InvoiceStatus, at: Timestamp, actorId: Uuid.nullable() })
  .meta({ id: 'InvoiceStatusChange' });
export type InvoiceStatusChange = z.infer<typeof InvoiceStatusChange>;
export const InvoiceHistory = z.object({ data: z.array(InvoiceStatusChange) }).meta({ id: 'InvoiceHistory' });

/**
 * What the public page `/i/:publicToken` shows the client: the invoice's figures, the agency's
 * and the client's details; no internal ids but the invoice's own (the checkout needs the token only).
 */
export const PublicInvoice = z
  .object({
    number: z.string(),
    status: InvoiceStatus,
    issueDate: IsoDate,
    dueDate: IsoDate.nullable(),
    currency: CurrencyCode,
    lineItems: z.array(LineItem.omit({ id: true, timeEntryIds: true, staleTimeEntries: true })),
    subtotal: Money,
    discountType: DiscountType.nullable(),
    discountValue: z.string().nullable(),
    discountAmount: Money,
    taxLines: z.array(InvoiceTaxLine),
    taxAmount: Money,
    total: Money,
    amountPaid: Money,
    amountDue: Money,
    notes: z.string().nullable(),
    terms: z.string().nullable(),
    paidAt: Timestamp.nullable(),
    agency: z.object({
      name: z.string(),
      address: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      website: z.string().nullable(),
      taxId: z.string().nullable(),
      logo: z.string().nullable(),
    }),
    client: z.object({
      name: z.string(),
      addressLines: z.array(z.string()),
      taxId: z.string().nullable(),
    }),
    footer: z.string().nullable(),
    /** The PDF of this page (`/api/public/invoices/:token/pdf`). */
    pdfUrl: z.string(),
  })
  .meta({ id: 'PublicInvoice' });
export type PublicInvoice = z.infer<typeof PublicInvoice>;
