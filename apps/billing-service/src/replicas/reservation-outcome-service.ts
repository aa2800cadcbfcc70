import { TimeEntriesChangedPayload, type EventEnvelope } from '@atelier/contracts';
import type { Tx } from '@atelier/platform';
import { clearRefusals, markRefused, type Refusal } from './reservation-outcome-repository.js';

/**
 * What projects did with the time an invoice event listed (events.md › Time entry lifecycle):
 * entries it refused (changed since billing saw them, on another invoice, deleted) are marked on
 * the invoice's live reservation of that very version, so issuing is refused
 * (`invoice.time_changed`) and the draft shows the stale line; entries it took for the invoice
 * clear an earlier refusal (another invoice let the entry go, and a later event took it).
 * Outcomes for reservations billing released or replaced since change nothing.
 */
export async function applyReservationOutcomes(tx: Tx, events: EventEnvelope[]): Promise<void> {
  for (const event of events) {
    if (event.name !== 'projects.time_entry.billing_changed.v1') continue;
    const p = TimeEntriesChangedPayload.parse(event.payload);
    if (p.invoiceId === null) continue;
    const taken = p.entries.filter((s) => s.entry.invoiceId === p.invoiceId).map((s) => s.entry.id);
    const refused: Refusal[] = (p.refused ?? []).map((r) => ({ timeEntryId: r.timeEntryId, version: r.invoicedVersion, reason: r.reason }));
    if (taken.length > 0) await clearRefusals(tx, p.invoiceId, taken);
    if (refused.length > 0) await markRefused(tx, p.invoiceId, refused);
  }
}
