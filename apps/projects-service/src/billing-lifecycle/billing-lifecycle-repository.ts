import { asc, eq, or, sql } from 'drizzle-orm';
import { anyOf, type Tx } from '@atelier/platform';
import type { INVOICE_STATES } from '../db/schema.js';
import { invoiceStates, timeEntries } from '../db/schema.js';
import type { TimeEntryRow } from '../time-entries/time-entry-repository.js';

export type InvoiceState = (typeof INVOICE_STATES)[number];

/**
 * Records the invoice at `version` unless a newer or equal version was applied already; true when
 * this event is the newest (apply it), false when it is stale (ignore it). The row lock serialises
 * the events of one invoice.
 */
export async function advanceInvoice(tx: Tx, agencyId: string, invoice: { id: string; version: number; status: InvoiceState; number: string | null }): Promise<boolean> {
  const rows = await tx
    .insert(invoiceStates)
    .values({ id: invoice.id, agencyId, version: invoice.version, status: invoice.status, number: invoice.number })
    .onConflictDoUpdate({
      target: invoiceStates.id,
      set: { version: invoice.version, status: invoice.status, number: sql`coalesce(excluded.number, ${invoiceStates.number})`, updatedAt: sql`now()` },
      where: sql`${invoiceStates.version} < excluded.version`,
    })
    .returning({ id: invoiceStates.id });
  return rows.length > 0;
}

/**
 * The entries an invoice event concerns: those it lists and those the invoice holds now,
 * deleted ones too (to say why they were not taken), locked FOR UPDATE in id order, as every
 * other writer of entries locks them.
 */
export function lockInvoiceEntries(tx: Tx, invoiceId: string, listed: string[]): Promise<TimeEntryRow[]> {
  return tx
    .select()
    .from(timeEntries)
    .where(or(eq(timeEntries.invoiceId, invoiceId), listed.length ? anyOf(timeEntries.id, listed) : undefined))
    .orderBy(asc(timeEntries.id))
    .for('update');
}

export interface BillingMove {
  id: string;
  billingStatus: TimeEntryRow['billingStatus'];
  invoiceId: string | null;
  invoiceNumber: string | null;
  invoiceVersion: number | null;
  version: number;
}

/** Writes every entry's new billing state in one statement; returns the rows as they are now. */
export async function moveEntries(tx: Tx, moves: BillingMove[]): Promise<TimeEntryRow[]> {
  if (moves.length === 0) return [];
  const json = JSON.stringify(moves.map((m) => ({ id: m.id, status: m.billingStatus, invoice_id: m.invoiceId, number: m.invoiceNumber, invoice_version: m.invoiceVersion, version: m.version })));
  const ids = await tx.execute<{ id: string }>(sql`
    update ${timeEntries} t set billing_status = x.status, invoice_id = x.invoice_id, invoice_number = x.number,
      invoice_version = x.invoice_version, version = x.version, updated_at = date_trunc('milliseconds', now())
    from json_to_recordset(${json}::json) as x(id uuid, status text, invoice_id uuid, number text, invoice_version bigint, version integer)
    where t.id = x.id
    returning t.id`);
  const changed = [...ids].map((r) => r.id);
  return tx
    .select()
    .from(timeEntries)
    .where(anyOf(timeEntries.id, changed))
    .orderBy(asc(timeEntries.id));
}
