import { timeEntrySnapshots, type EventEnvelope } from '@atelier/contracts';
import { replicaConsumer, type ConsumerSpec, type Tx } from '@atelier/platform';
import { timeEntries } from '../db/schema.js';
import { applyReservationOutcomes } from './reservation-outcome-service.js';

/**
 * Keeps `billing.time_entries` at the newest version of each entry (logged, updated, deleted,
 * billing_changed, resync): the unbilled view and the source of drafts from time. A
 * billing_changed event also says what became of the reservations an invoice event asked for;
 * that is recorded on the invoice's reserved time in the same transaction.
 */
export function timeEntryReplicaConsumer(): ConsumerSpec {
  const replica = replicaConsumer({
    queue: 'billing.time-entry-replica',
    bindings: ['projects.time_entry.*.*'],
    table: timeEntries,
    events: timeEntrySnapshots,
    live: (e) => ({
      projectId: e.projectId,
      clientId: e.clientId,
      taskId: e.taskId,
      userId: e.userId,
      date: e.date,
      minutes: e.minutes,
      roundedMinutes: e.roundedMinutes,
      description: e.description,
      isBillable: e.isBillable,
      hourlyRate: e.hourlyRate,
      rateSource: e.rateSource,
      currency: e.currency,
      amount: e.amount,
      billingStatus: e.billingStatus,
      invoiceId: e.invoiceId,
      updatedAt: new Date(e.updatedAt),
      deletedAt: null,
    }),
    // The rest of a deleted entry stays as it was: an invoice that billed it still reads its figures.
    tombstone: (e) => ({
      set: { deletedAt: new Date(e.deletedAt), updatedAt: new Date(e.deletedAt) },
      firstSeen: { projectId: e.projectId, clientId: e.clientId },
    }),
  });
  const handleMany = async (events: EventEnvelope[], tx: Tx) => {
    await replica.handleMany!(events, tx);
    await applyReservationOutcomes(tx, events);
  };
  return { ...replica, handle: (event, tx) => handleMany([event], tx), handleMany };
}
