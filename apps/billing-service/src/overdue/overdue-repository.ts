import { and, gt, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { invoices } from '../db/schema.js';
import type { InvoiceRow } from '../invoices/invoice-repository.js';

export interface AgencyWithOpenInvoices {
  agencyId: string;
  timezone: string;
  earliestDue: string;
}

/** Across agencies (the schedule's system transaction sees no invoice): who has open invoices, in which timezone, due from when. */
export async function selectAgenciesWithOpenInvoices(tx: Tx): Promise<AgencyWithOpenInvoices[]> {
  const rows = await tx.execute<{ agency_id: string; timezone: string; earliest_due: string }>(
    sql`select agency_id::text, timezone, earliest_due::text from billing.agencies_with_open_invoices()`,
  );
  return [...rows].map((r) => ({ agencyId: r.agency_id, timezone: r.timezone, earliestDue: r.earliest_due }));
}

/** The agency's open invoices due before `today` with something still due, locked for the change. */
export async function selectPastDue(tx: Tx, today: string): Promise<InvoiceRow[]> {
  return tx
    .select()
    .from(invoices)
    .where(and(inArray(invoices.status, ['sent', 'viewed', 'partially_paid']), gt(invoices.amountDue, '0'), isNotNull(invoices.dueDate), lt(invoices.dueDate, today)))
    .for('update');
}
