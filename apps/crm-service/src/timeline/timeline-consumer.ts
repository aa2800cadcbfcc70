import type { EventEnvelope } from '@atelier/contracts';
import type { ConsumerSpec, Tx } from '@atelier/platform';
import { timelineEntries } from '../db/schema.js';
import { timelineSubject, timelineTitle } from './timeline-titles.js';

function entry(event: EventEnvelope): typeof timelineEntries.$inferInsert | null {
  const subject = timelineSubject(event);
  if (!subject) return null;
  return {
    agencyId: event.agencyId,
    clientId: subject.clientId,
    eventId: event.id,
    type: event.name,
    title: timelineTitle(event),
    occurredAt: new Date(event.occurredAt),
    actorId: event.actorId,
    entityKind: subject.kind,
    entityId: subject.id,
  };
}

/** One INSERT for a whole group of events (an import sends thousands). */
async function addEntries(events: EventEnvelope[], tx: Tx): Promise<void> {
  const rows = events.map(entry).filter((e) => e !== null);
  if (rows.length) await tx.insert(timelineEntries).values(rows);
}

/** Every service's events become entries on the timeline of the client they concern. */
export const timelineConsumer = (): ConsumerSpec => ({
  queue: 'crm.timeline',
  bindings: ['crm.#', 'projects.#', 'billing.#', 'payments.#'],
  handle: (event, tx) => addEntries([event], tx),
  handleMany: addEntries,
});
