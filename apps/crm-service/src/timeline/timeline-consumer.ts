import type { ConsumerSpec } from '@atelier/platform';
import { timelineEntries } from '../db/schema.js';
import { timelineSubject, timelineTitle } from './timeline-titles.js';

/** Every service's events become entries on the timeline of the client they concern. */
export const timelineConsumer = (): ConsumerSpec => ({
  queue: 'crm.timeline',
  bindings: ['crm.#', 'projects.#', 'billing.#', 'payments.#'],
  async handle(event, tx) {
    const subject = timelineSubject(event);
    if (!subject) return;
    await tx.insert(timelineEntries).values({
      agencyId: event.agencyId,
      clientId: subject.clientId,
      eventId: event.id,
      type: event.name,
      title: timelineTitle(event),
      occurredAt: new Date(event.occurredAt),
      actorId: event.actorId,
      entityKind: subject.kind,
      entityId: subject.id,
    });
  },
});
