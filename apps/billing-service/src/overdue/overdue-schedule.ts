import { overdueAt, workDate } from '@atelier/time';
import { everyMinutes, tenantTx, writeEvent, type Db, type ScheduleDefinition, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { invoiceStatePayload } from '../invoices/invoice-events.js';
import { insertStatusChange, updateInvoiceRow } from '../invoices/invoice-repository.js';
import { selectAgenciesWithOpenInvoices, selectPastDue } from './overdue-repository.js';

export const OVERDUE_SCHEDULE = 'billing.overdue';
/** Every quarter hour: the first slot of each agency's day (zones are offset by 15, 30 or 45 minutes too) marks what fell due. */
export const OVERDUE_EVERY_MINUTES = 15;

/**
 * Marks the agency's invoices overdue that were due before `today` (its own calendar day) with an
 * amount still due: status `overdue`, `overdueAt` the start of the day after the due date, status
 * history (the system's), `billing.invoice.overdue.v1`. Running it twice marks nothing twice.
 */
export async function markOverdue(tx: Tx, agencyId: string, today: string, timezone: string): Promise<number> {
  const due = await selectPastDue(tx, today);
  for (const row of due) {
    const at = overdueAt(row.dueDate!, timezone);
    const saved = await updateInvoiceRow(tx, row.id, { status: 'overdue', overdueAt: at });
    await insertStatusChange(tx, { agencyId, invoiceId: row.id, status: 'overdue', actorId: null });
    await writeEvent(tx, outbox, { name: 'billing.invoice.overdue.v1', agencyId, actorId: null, payload: { ...invoiceStatePayload(saved), overdueAt: at.toISOString() } });
  }
  return due.length;
}

/**
 * The kit schedule (fired once per slot across replicas). The slot is the clock: an agency whose
 * calendar day at the slot is after an open invoice's due date gets its invoices marked, each
 * agency in its own tenant transaction (a failure of one leaves the others done; the slot's retry
 * does the rest, marking is idempotent).
 */
export function overdueSchedule(db: Db): ScheduleDefinition {
  return {
    name: OVERDUE_SCHEDULE,
    cadence: everyMinutes(OVERDUE_EVERY_MINUTES),
    run: async (tx, slot) => {
      for (const agency of await selectAgenciesWithOpenInvoices(tx)) {
        const today = workDate(slot, agency.timezone);
        if (agency.earliestDue >= today) continue;
        await tenantTx(db, agency.agencyId, (agencyTx) => markOverdue(agencyTx, agency.agencyId, today, agency.timezone));
      }
    },
  };
}
