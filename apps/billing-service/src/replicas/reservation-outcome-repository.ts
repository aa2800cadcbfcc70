import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { anyOf, type Tx } from '@atelier/platform';
import { invoiceLineTimeEntries as reserved } from '../db/schema.js';

export interface Refusal {
  timeEntryId: string;
  /** The entry version the invoice event named: only the reservation of that version is refused. */
  version: number;
  reason: string;
}

/** Marks the invoice's live reservations of these entry versions as refused, in one statement. */
export async function markRefused(tx: Tx, invoiceId: string, refusals: Refusal[]): Promise<void> {
  const json = JSON.stringify(refusals.map((r) => ({ id: r.timeEntryId, version: r.version, reason: r.reason })));
  await tx.execute(sql`
    update ${reserved} r set refused_reason = x.reason
    from json_to_recordset(${json}::json) as x(id uuid, version integer, reason text)
    where r.invoice_id = ${invoiceId} and r.time_entry_id = x.id and r.entry_version = x.version and r.released_at is null`);
}

/** Projects now holds these entries for the invoice: a refusal recorded earlier no longer stands. */
export async function clearRefusals(tx: Tx, invoiceId: string, timeEntryIds: string[]): Promise<void> {
  await tx
    .update(reserved)
    .set({ refusedReason: null })
    .where(and(eq(reserved.invoiceId, invoiceId), anyOf(reserved.timeEntryId, timeEntryIds), isNull(reserved.releasedAt), isNotNull(reserved.refusedReason)));
}
