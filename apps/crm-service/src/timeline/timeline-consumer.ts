import type { ConsumerSpec } from '@atelier/platform';
import { recordEvents } from './timeline-service.js';

/** Every service's events become entries on the timeline of the client they concern. */
export const timelineConsumer = (): ConsumerSpec => ({
  queue: 'crm.timeline',
  bindings: ['crm.#', 'projects.#', 'billing.#', 'payments.#'],
  handle: (event, tx) => recordEvents([event], tx),
  handleMany: recordEvents,
});
