import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventName, EventPayload } from '@atelier/contracts';
import type { outboxTable } from '../db/messaging-tables.js';
import { logContext } from '../logging/logger.js';
import type { Tx } from '../db/database.js';

export interface EventToWrite<N extends EventName> {
  name: N;
  agencyId: string;
  actorId: string | null;
  payload: EventPayload<N>;
}

type OutboxTable = ReturnType<typeof outboxTable>;

let lastOccurredAt = 0;

/**
 * Event time in milliseconds, strictly increasing within this process: the timeline and the
 * replicas order by it, and two changes to one client a millisecond apart (create, then edit)
 * must not come out in either order. It runs ahead of the clock only while one process writes
 * more than a thousand events a second.
 */
function occurredAt(): string {
  lastOccurredAt = Math.max(Date.now(), lastOccurredAt + 1);
  return new Date(lastOccurredAt).toISOString();
}

/** Writes an event to the service's outbox inside the caller's transaction: it commits with the change or not at all. */
export async function writeEvent<N extends EventName>(tx: Tx, outbox: OutboxTable, event: EventToWrite<N>): Promise<EventEnvelope<EventPayload<N>>> {
  const envelope: EventEnvelope<EventPayload<N>> = {
    id: randomUUID(),
    name: event.name,
    occurredAt: occurredAt(),
    agencyId: event.agencyId,
    actorId: event.actorId,
    payload: event.payload,
    trace: { requestId: logContext.getStore()?.requestId },
  };
  await tx.insert(outbox).values({ id: envelope.id, agencyId: envelope.agencyId, name: envelope.name, envelope });
  return envelope;
}
