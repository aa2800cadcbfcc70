import { formatMoney, type Money } from '@atelier/money';

/**
 * What an invoice PDF prints, and nothing else: every figure is already the string the screen
 * shows (formatted by libs/money's `formatMoney` in the same locale), so the PDF cannot round,
 * convert or format differently from the web app. Build one from Money values with
 * `invoiceDocumentFrom`; the template only places these strings.
 */
export interface InvoiceDocument {
  agency: {
    name: string;
    addressLines: string[];
    taxId: string | null;
    /** A `data:image/(png|jpeg|gif|webp);base64,…` URL; anything else is dropped by the renderer. */
    logo: string | null;
    email: string | null;
  };
  client: {
    name: string;
    addressLines: string[];
    taxId: string | null;
  };
  invoice: {
    /** Null until the draft is first issued. */
    number: string | null;
    status: string;
    isDraft: boolean;
    issueDate: string;
    dueDate: string;
    currency: string;
    lines: InvoiceDocumentLine[];
    subtotal: string;
    discount: { label: string; amount: string } | null;
    taxes: InvoiceDocumentTax[];
    total: string;
    amountPaid: string;
    amountDue: string;
    notes: string | null;
    terms: string | null;
    footer: string | null;
    /** Where the client pays (the public page until the payments issue adds a checkout link). */
    paymentUrl: string | null;
    publicUrl: string | null;
  };
  paper: Paper;
  /** BCP 47; the document's `lang`, and the locale its figures were formatted in. */
  locale: string;
}

export interface InvoiceDocumentLine {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  /** "19 %", or null when the line carries the document's taxes. */
  taxRate: string | null;
}

export interface InvoiceDocumentTax {
  /** "VAT 19 %", "GST 5 %". */
  name: string;
  rate: string;
  base: string;
  amount: string;
}

export type Paper = 'A4' | 'Letter';

/**
 * Countries whose offices use US Letter; everywhere else uses A4. The Americas that follow the
 * US (most of Central America, Colombia, Venezuela, Chile) and the Philippines.
 */
const LETTER_COUNTRIES = new Set(['US', 'CA', 'MX', 'PH', 'PR', 'CL', 'CO', 'VE', 'GT', 'CR', 'PA', 'DO', 'SV', 'NI', 'HN', 'BZ']);

/** The paper an agency in `countryCode` (ISO 3166-1 alpha-2) prints on; A4 when unknown. */
export function paperFor(countryCode: string | null | undefined): Paper {
  return countryCode && LETTER_COUNTRIES.has(countryCode.trim().toUpperCase()) ? 'Letter' : 'A4';
}

/** The figures of an invoice as Money values: what `invoiceTotals` returns and the invoice stores. */
export interface InvoiceFigures {
  agency: InvoiceDocument['agency'] & { country: string | null };
  client: InvoiceDocument['client'];
  invoice: {
    number: string | null;
    status: string;
    /** Calendar dates, `YYYY-MM-DD`. */
    issueDate: string;
    dueDate: string;
    currency: string;
    lines: { description: string; quantity: string; unitPrice: Money; amount: Money; taxRate: string | null }[];
    subtotal: Money;
    discount: { type: 'amount' | 'percent'; value: string; amount: Money } | null;
    taxes: { name: string | null; rate: string; base: Money; amount: Money }[];
    total: Money;
    amountPaid: Money;
    amountDue: Money;
    notes: string | null;
    terms: string | null;
    footer: string | null;
    paymentUrl: string | null;
    publicUrl: string | null;
  };
  locale: string;
}

/** Formats the figures exactly as the screen does (libs/money's `formatMoney`, the invoice's locale). */
export function invoiceDocumentFrom(figures: InvoiceFigures): InvoiceDocument {
  const { locale, invoice } = figures;
  const money = (m: Money) => formatMoney(m, { locale });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  // Strings go to Intl as they are: it formats decimal strings exactly, never through a float.
  const decimal = (value: string) => number.format(value as Intl.StringNumericLiteral);
  const percent = (rate: string) => `${decimal(rate)} %`;
  const { country, ...agency } = figures.agency;
  return {
    agency,
    client: figures.client,
    invoice: {
      number: invoice.number,
      status: invoice.status,
      isDraft: invoice.status === 'draft',
      issueDate: formatDate(invoice.issueDate, locale),
      dueDate: formatDate(invoice.dueDate, locale),
      currency: invoice.currency,
      lines: invoice.lines.map((line) => ({
        description: line.description,
        quantity: decimal(line.quantity),
        unitPrice: money(line.unitPrice),
        amount: money(line.amount),
        taxRate: line.taxRate == null ? null : percent(line.taxRate),
      })),
      subtotal: money(invoice.subtotal),
      discount: invoice.discount && {
        label: invoice.discount.type === 'percent' ? `Discount (${percent(invoice.discount.value)})` : 'Discount',
        amount: money(invoice.discount.amount.negate()),
      },
      taxes: invoice.taxes.map((tax) => ({
        name: `${tax.name ?? 'Tax'} ${percent(tax.rate)}`,
        rate: percent(tax.rate),
        base: money(tax.base),
        amount: money(tax.amount),
      })),
      total: money(invoice.total),
      amountPaid: money(invoice.amountPaid),
      amountDue: money(invoice.amountDue),
      notes: invoice.notes,
      terms: invoice.terms,
      footer: invoice.footer,
      paymentUrl: invoice.paymentUrl,
      publicUrl: invoice.publicUrl,
    },
    paper: paperFor(country),
    locale,
  };
}

/** A calendar date in the reader's words ("2 Dec 2026"); UTC so that no offset moves the day. */
export function formatDate(isoDate: string, locale: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}
