import { Money } from '@atelier/money';
import type { InvoicingSettings } from '@atelier/contracts';
import type { InvoiceLineRow, InvoiceRow } from '../invoices/invoice-repository.js';
import { invoiceDocumentFrom, type InvoiceDocument, type InvoiceFigures } from '../pdf/invoice-document.js';
import type { AgencyRow, ClientRow } from './invoice-pdf-repository.js';

/** The locale invoices print in: the one the figures of the PDF, the email and the public page are formatted in. */
export const INVOICE_LOCALE = 'en-US';

/** The bill-to block: what was frozen on the invoice when it was issued, else (a draft) the client replica as it is now. */
export interface BillTo {
  name: string;
  email: string | null;
  addressLines: string[];
  taxId: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function addressLinesOf(a: { addressLine1?: unknown; addressLine2?: unknown; city?: unknown; region?: unknown; postalCode?: unknown; country?: unknown }): string[] {
  const cityLine = [str(a.postalCode), str(a.city)].filter(Boolean).join(' ');
  return [str(a.addressLine1), str(a.addressLine2), cityLine || null, str(a.region), str(a.country)].filter((l): l is string => l !== null);
}

export function billToOf(row: InvoiceRow, client: ClientRow | undefined): BillTo {
  const frozen = row.status !== 'draft' && row.billTo ? row.billTo : null;
  const source: Record<string, unknown> = frozen ?? (client ? { ...client } : {});
  return { name: str(source.name) ?? 'Client', email: str(source.email), addressLines: addressLinesOf(source), taxId: str(source.taxId) };
}

export interface InvoiceDocumentInput {
  row: InvoiceRow;
  lines: readonly InvoiceLineRow[];
  agency: AgencyRow | undefined;
  billTo: BillTo;
  settings: Pick<InvoicingSettings, 'footer'>;
  /** The public page (null while draft). */
  publicUrl: string | null;
}

/** The agency's details as the PDF's sender block and the public page show them. */
export function agencyDetailsOf(agency: AgencyRow | undefined) {
  return {
    name: agency?.name ?? 'Agency',
    addressLines: (agency?.address ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
    taxId: agency?.taxId ?? null,
    logo: agency?.logo ?? null,
    email: agency?.email ?? null,
    country: agency?.country ?? null,
  };
}

/**
 * The one mapping of an invoice to what its PDF prints (preview, the stored PDF and the public
 * download): the stored figures as Money (never recomputed here), the agency replica, the bill-to.
 */
export function toInvoiceFigures(input: InvoiceDocumentInput): InvoiceFigures {
  const { row } = input;
  const m = (v: string) => Money.round(v, row.currency);
  const sorted = [...input.lines].sort((a, b) => a.sortOrder - b.sortOrder || a.id.localeCompare(b.id));
  const hasDiscount = row.discountType !== null && row.discountValue !== null;
  return {
    agency: agencyDetailsOf(input.agency),
    client: { name: input.billTo.name, addressLines: input.billTo.addressLines, taxId: input.billTo.taxId },
    invoice: {
      number: row.number,
      status: row.status,
      issueDate: row.issueDate ?? '',
      dueDate: row.dueDate ?? '',
      currency: row.currency,
      lines: sorted.map((l) => ({ description: l.description, quantity: normal(l.quantity), unitPrice: m(l.unitPrice), amount: m(l.amount), taxRate: l.taxRate === null ? null : normal(l.taxRate) })),
      subtotal: m(row.subtotal),
      discount: hasDiscount ? { type: row.discountType!, value: normal(row.discountValue!), amount: m(row.discountAmount) } : null,
      taxes: row.taxLines.map((t) => ({ name: t.name, rate: normal(t.rate), base: m(t.base), amount: m(t.amount) })),
      total: m(row.total),
      amountPaid: m(row.amountPaid),
      amountDue: m(row.amountDue),
      notes: row.notes,
      terms: row.terms,
      footer: input.settings.footer,
      paymentUrl: input.publicUrl,
      publicUrl: input.publicUrl,
    },
    locale: INVOICE_LOCALE,
  };
}

const normal = (v: string) => (v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v);

export const toInvoiceDocument = (input: InvoiceDocumentInput): InvoiceDocument => invoiceDocumentFrom(toInvoiceFigures(input));

/** `INV-2026-0001.pdf`; a draft is `draft-<id>.pdf`. Only safe characters reach the header. */
export const pdfFilenameOf = (row: Pick<InvoiceRow, 'id' | 'number'>): string => `${(row.number ?? `draft-${row.id}`).replace(/[^A-Za-z0-9._-]+/g, '_')}.pdf`;
