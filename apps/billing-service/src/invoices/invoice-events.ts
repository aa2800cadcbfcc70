import type { InvoiceTimePayload, InvoicedTimeEntry, InvoiceStatePayload } from '@atelier/contracts';
import { writeEvent, type Principal, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { moneyText } from './decimals.js';
import type { InvoiceRow, LineTimeEntryRow } from './invoice-repository.js';

/** A reservation as the events carry it: the entry's version, minutes and rate when billing reserved it. */
export const toInvoicedTimeEntry = (e: LineTimeEntryRow, currency: string): InvoicedTimeEntry => ({
  timeEntryId: e.timeEntryId,
  version: e.entryVersion,
  roundedMinutes: e.roundedMinutes,
  hourlyRate: e.hourlyRate === null ? null : moneyText(e.hourlyRate, currency),
  amount: moneyText(e.amount, currency),
});

/** What projects reads of every invoice event: the invoice, its version and every time entry on it now (an entry left out was removed). */
export function invoiceTimePayload(row: InvoiceRow, entries: readonly LineTimeEntryRow[]): InvoiceTimePayload {
  return {
    clientId: row.clientId,
    invoiceId: row.id,
    projectId: row.projectId,
    number: row.number,
    currency: row.currency,
    version: row.version,
    timeEntries: entries.map((e) => toInvoicedTimeEntry(e, row.currency)),
  };
}

/** An issued invoice's figures and status (the payments replica keeps the newest version). */
export function invoiceStatePayload(row: InvoiceRow): InvoiceStatePayload {
  const money = (v: string) => moneyText(v, row.currency);
  return {
    clientId: row.clientId,
    invoiceId: row.id,
    number: row.number ?? '',
    currency: row.currency,
    total: money(row.total),
    amountPaid: money(row.amountPaid),
    amountDue: money(row.amountDue),
    status: row.status,
    dueDate: row.dueDate,
    version: row.version,
  };
}

/** Every change of a draft: `drafted` when made, `updated` after (the entries listed are all it holds now). */
export function writeDraftEvent(tx: Tx, who: Pick<Principal, 'agencyId' | 'userId'>, kind: 'drafted' | 'updated', row: InvoiceRow, entries: readonly LineTimeEntryRow[]) {
  return writeEvent(tx, outbox, {
    name: kind === 'drafted' ? 'billing.invoice.drafted.v1' : 'billing.invoice.updated.v1',
    agencyId: who.agencyId,
    actorId: who.userId,
    payload: invoiceTimePayload(row, entries),
  });
}
