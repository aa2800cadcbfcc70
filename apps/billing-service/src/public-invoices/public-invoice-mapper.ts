import type { PublicInvoice } from '@atelier/contracts';
import type { InvoiceLineRow, InvoiceRow } from '../invoices/invoice-repository.js';
import { toInvoiceDto } from '../invoices/invoice-mapper.js';
import type { BillTo } from '../invoice-pdf/invoice-pdf-mapper.js';
import type { AgencyRow } from '../invoice-pdf/invoice-pdf-repository.js';

/** What the client's page shows: the figures as the API states them (the same mapper), the sender and the bill-to; no internal ids. */
export function toPublicInvoice(row: InvoiceRow, lines: readonly InvoiceLineRow[], agency: AgencyRow | undefined, billTo: BillTo, footer: string | null, pdfUrl: string): PublicInvoice {
  const dto = toInvoiceDto(row, lines, new Map(), billTo.name, null);
  return {
    number: dto.number ?? '',
    status: dto.status,
    issueDate: dto.issueDate ?? '',
    dueDate: dto.dueDate,
    currency: dto.currency,
    lineItems: dto.lineItems.map(({ id: _id, timeEntryIds: _entries, ...line }) => line),
    subtotal: dto.subtotal,
    discountType: dto.discountType,
    discountValue: dto.discountValue,
    discountAmount: dto.discountAmount,
    taxLines: dto.taxLines,
    taxAmount: dto.taxAmount,
    total: dto.total,
    amountPaid: dto.amountPaid,
    amountDue: dto.amountDue,
    notes: dto.notes,
    terms: dto.terms,
    paidAt: dto.paidAt,
    agency: {
      name: agency?.name ?? 'Agency',
      address: agency?.address ?? null,
      email: agency?.email ?? null,
      phone: agency?.phone ?? null,
      website: agency?.website ?? null,
      taxId: agency?.taxId ?? null,
      logo: agency?.logo ?? null,
    },
    client: { name: billTo.name, addressLines: billTo.addressLines, taxId: billTo.taxId },
    footer,
    pdfUrl,
  };
}
