import type { EventEnvelope, InvoicedTimeEntry, ReservationRefusal } from '@atelier/contracts';
import { InvoiceDeletedPayload, InvoiceIssuedPayload, InvoiceTimePayload, InvoiceVoidedPayload } from '@atelier/contracts';
import { writeEvents, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { atScale } from '../time-entries/entry-pricing.js';
import { toTimeEntrySnapshot } from '../time-entries/time-entry-mapper.js';
import type { TimeEntryRow } from '../time-entries/time-entry-repository.js';
import { advanceInvoice, lockInvoiceEntries, moveEntries, type BillingMove, type InvoiceState } from './billing-lifecycle-repository.js';

/**
 * Whether an entry is still what billing saw: the version billing holds, and (belt and braces)
 * the rounded minutes, rate and amount it put on the line. An edit that slipped in between the
 * draft and this event fails here, and the entry is not reserved at the old value.
 */
function unchangedSince(entry: TimeEntryRow, invoiced: InvoicedTimeEntry): boolean {
  return (
    entry.version === invoiced.version &&
    entry.roundedMinutes === invoiced.roundedMinutes &&
    (entry.hourlyRate === null ? null : atScale(entry.hourlyRate, entry.currency)) === (invoiced.hourlyRate === null ? null : atScale(invoiced.hourlyRate, entry.currency)) &&
    atScale(entry.amount, entry.currency) === atScale(invoiced.amount, entry.currency)
  );
}

interface Plan {
  moves: BillingMove[];
  refused: ReservationRefusal[];
}

const release = (e: TimeEntryRow, invoiceVersion: number): BillingMove => ({ id: e.id, billingStatus: 'unbilled', invoiceId: null, invoiceNumber: null, invoiceVersion, version: e.version + 1 });

/**
 * The invoice, at this version, holds exactly `listed` (`billed` once issued, `reserved` while a
 * draft): entries it names are taken if they are unbilled and unchanged since billing saw them,
 * entries it held and no longer names are released. Entries on another live invoice, deleted or
 * changed are refused and reported, never taken.
 */
function planHolding(invoice: { id: string; version: number; number: string | null }, listed: InvoicedTimeEntry[], locked: TimeEntryRow[], target: 'reserved' | 'billed'): Plan {
  const byId = new Map(locked.map((e) => [e.id, e]));
  const named = new Set(listed.map((l) => l.timeEntryId));
  const moves: BillingMove[] = [];
  const refused: ReservationRefusal[] = [];
  const take = (e: TimeEntryRow): BillingMove => ({ id: e.id, billingStatus: target, invoiceId: invoice.id, invoiceNumber: invoice.number, invoiceVersion: invoice.version, version: e.version + 1 });
  for (const l of listed) {
    const e = byId.get(l.timeEntryId);
    if (!e || e.deletedAt) {
      refused.push({ timeEntryId: l.timeEntryId, invoicedVersion: l.version, currentVersion: e?.version ?? null, reason: 'deleted' });
    } else if (e.invoiceId !== null && e.invoiceId !== invoice.id) {
      refused.push({ timeEntryId: e.id, invoicedVersion: l.version, currentVersion: e.version, reason: 'on_another_invoice' });
    } else if (e.invoiceId === invoice.id) {
      // Held already, read-only since: it only moves on from reserved to billed.
      if (e.billingStatus !== target && target === 'billed') moves.push(take(e));
    } else if (!unchangedSince(e, l)) {
      refused.push({ timeEntryId: e.id, invoicedVersion: l.version, currentVersion: e.version, reason: 'changed' });
    } else moves.push(take(e));
  }
  for (const e of locked) if (e.invoiceId === invoice.id && !named.has(e.id)) moves.push(release(e, invoice.version));
  return { moves, refused };
}

async function publish(tx: Tx, event: EventEnvelope, clientId: string, invoiceId: string, moved: TimeEntryRow[], refused: ReservationRefusal[]): Promise<void> {
  if (moved.length === 0 && refused.length === 0) return;
  await writeEvents(tx, outbox, [
    {
      name: 'projects.time_entry.billing_changed.v1',
      agencyId: event.agencyId,
      actorId: null,
      payload: {
        clientId,
        invoiceId,
        entries: moved.map((row) => ({ clientId, projectId: row.projectId, entry: toTimeEntrySnapshot(row), version: row.version })),
        ...(refused.length ? { refused } : {}),
      },
    },
  ]);
}

async function hold(tx: Tx, event: EventEnvelope, p: InvoiceTimePayload, status: InvoiceState, target: 'reserved' | 'billed'): Promise<void> {
  if (!(await advanceInvoice(tx, event.agencyId, { id: p.invoiceId, version: p.version, status, number: p.number }))) return;
  const locked = await lockInvoiceEntries(tx, p.invoiceId, p.timeEntries.map((t) => t.timeEntryId));
  const plan = planHolding({ id: p.invoiceId, version: p.version, number: p.number }, p.timeEntries, locked, target);
  await publish(tx, event, p.clientId, p.invoiceId, await moveEntries(tx, plan.moves), plan.refused);
}

/** A deleted draft or a voided invoice lets every entry it held go: unbilled again, editable again. */
async function letGo(tx: Tx, event: EventEnvelope, p: { clientId: string; invoiceId: string; version: number }, status: InvoiceState): Promise<void> {
  if (!(await advanceInvoice(tx, event.agencyId, { id: p.invoiceId, version: p.version, status, number: null }))) return;
  const locked = await lockInvoiceEntries(tx, p.invoiceId, []);
  const moves = locked.filter((e) => e.invoiceId === p.invoiceId).map((e) => release(e, p.version));
  await publish(tx, event, p.clientId, p.invoiceId, await moveEntries(tx, moves), []);
}

/**
 * billing.invoice.* → the time entry lifecycle (events.md): drafted/updated reserve what the
 * draft lists and release what it dropped, issued bills, deleted and voided release. Events
 * older than the invoice state applied change nothing (`invoice_states`).
 */
export async function applyInvoiceEvent(event: EventEnvelope, tx: Tx): Promise<void> {
  switch (event.name) {
    case 'billing.invoice.drafted.v1':
    case 'billing.invoice.updated.v1':
      return hold(tx, event, InvoiceTimePayload.parse(event.payload), 'draft', 'reserved');
    case 'billing.invoice.issued.v1':
      return hold(tx, event, InvoiceIssuedPayload.parse(event.payload), 'issued', 'billed');
    case 'billing.invoice.deleted.v1':
      return letGo(tx, event, InvoiceDeletedPayload.parse(event.payload), 'deleted');
    case 'billing.invoice.voided.v1':
      return letGo(tx, event, InvoiceVoidedPayload.parse(event.payload), 'void');
  }
}
