import type { Invoice, InvoiceStatusChange, LineItem } from '@atelier/contracts';
import { moneyText, normalDecimal } from './decimals.js';
import { amountOverpaidOf, documentTaxes } from './invoice-figures.js';
import type { InvoiceLineRow, InvoiceRow, LineTime, StatusChangeRow } from './invoice-repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const STALE_REASONS = ['changed', 'on_another_invoice', 'deleted'] as const;
const staleReason = (r: string | null) => STALE_REASONS.find((s) => s === r);

const NO_TIME: LineTime = { timeEntryIds: [], refused: [] };

export function toLineItem(line: InvoiceLineRow, currency: string, time: LineTime = NO_TIME): LineItem {
  return {
    id: line.id,
    description: line.description,
    quantity: normalDecimal(line.quantity),
    unitPrice: moneyText(line.unitPrice, currency),
    amount: moneyText(line.amount, currency),
    taxRate: line.taxRate === null ? null : normalDecimal(line.taxRate),
    sortOrder: line.sortOrder,
    timeEntryIds: time.timeEntryIds,
    staleTimeEntries: time.refused.map((r) => ({ timeEntryId: r.timeEntryId, reason: staleReason(r.reason) ?? 'changed' })),
  };
}

/**
 * The contract's Invoice. `lines` in sort order; `time` what each line bills (`selectLineTime`);
 * `publicUrl` null while draft and once void (the caller derives it for an issued invoice).
 */
export function toInvoiceDto(row: InvoiceRow, lines: readonly InvoiceLineRow[], time: ReadonlyMap<string, LineTime>, clientName: string | null, publicUrl: string | null): Invoice {
  const money = (v: string) => moneyText(v, row.currency);
  const taxes = documentTaxes({ taxRate: row.taxRate === null ? null : normalDecimal(row.taxRate), taxes: row.taxes });
  const sorted = [...lines].sort((a, b) => a.sortOrder - b.sortOrder || a.id.localeCompare(b.id));
  return {
    id: row.id,
    number: row.number,
    clientId: row.clientId,
    clientName,
    projectId: row.projectId,
    status: row.status,
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    currency: row.currency,
    lineItems: sorted.map((l) => toLineItem(l, row.currency, time.get(l.id))),
    subtotal: money(row.subtotal),
    discountType: row.discountType,
    discountValue: row.discountValue === null ? null : row.discountType === 'amount' ? money(row.discountValue) : normalDecimal(row.discountValue),
    discountAmount: money(row.discountAmount),
    taxRate: row.taxes.length > 0 || row.taxRate === null ? null : normalDecimal(row.taxRate),
    taxes,
    taxAmount: money(row.taxAmount),
    taxLines: row.taxLines.map((t) => ({ name: t.name, rate: normalDecimal(t.rate), base: money(t.base), amount: money(t.amount) })),
    total: money(row.total),
    amountPaid: money(row.amountPaid),
    amountDue: money(row.amountDue),
    amountOverpaid: amountOverpaidOf(row),
    rounding: row.rounding,
    notes: row.notes,
    terms: row.terms,
    // The public page answers 404 for a voided invoice: no dead link.
    publicUrl: row.status === 'draft' || row.status === 'void' ? null : publicUrl,
    sentAt: iso(row.sentAt),
    viewedAt: iso(row.viewedAt),
    paidAt: iso(row.paidAt),
    voidedAt: iso(row.voidedAt),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const toStatusChange = (row: StatusChangeRow): InvoiceStatusChange => ({ status: row.status, at: row.at.toISOString(), actorId: row.actorId });
