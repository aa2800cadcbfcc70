import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { EventEnvelope, EventName, EventPayload } from '@atelier/contracts';
import type { outboxTable } from '../db/messaging-tables.js';
import { logContext } from '../logging/logger.js';
import type { Tx } from '../db/database.js';
import { sendUnawaited } from '../db/tenant-tx.js';

export interface EventToWrite<N extends EventName> {
  name: N;
  agencyId: string;
  actorId: string | null;
  payload: EventPayload<N>;
}

type AnyEventToWrite = { [N in EventName]: EventToWrite<N> }[EventName];

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

/**
 * The one envelope builder: id, strictly increasing `occurredAt`, and the trace context of the
 * request or job that is running (`logContext`), for a single change and for bulk work alike.
 */
export function buildEnvelope<N extends EventName>(event: EventToWrite<N>): EventEnvelope<EventPayload<N>> {
  return {
    id: randomUUID(),
    name: event.name,
    occurredAt: occurredAt(),
    agencyId: event.agencyId,
    actorId: event.actorId,
    payload: event.payload,
    trace: { requestId: logContext.getStore()?.requestId },
  };
}

/**
 * Writes events to the service's outbox inside the caller's transaction, in one statement however
 * many (the payloads travel as one JSON parameter): they commit with the change or not at all.
 * The insert is sent without waiting for its answer (`sendUnawaited`): it goes out with the
 * COMMIT, or with the next statement.
 */
export async function writeEvents(tx: Tx, outbox: OutboxTable, events: AnyEventToWrite[]): Promise<EventEnvelope[]> {
  if (events.length === 0) return [];
  const envelopes = events.map((e) => buildEnvelope(e as EventToWrite<EventName>) as EventEnvelope);
  if (envelopes.length === 1) {
    const [e] = envelopes as [EventEnvelope];
    await sendUnawaited(tx, tx.insert(outbox).values({ id: e.id, agencyId: e.agencyId, name: e.name, envelope: e }));
    return envelopes;
  }
  const rows = JSON.stringify(envelopes.map((e) => ({ id: e.id, agency_id: e.agencyId, name: e.name, envelope: e })));
  await sendUnawaited(tx, {
    execute: () =>
      tx.execute(sql`
        insert into ${outbox} (id, agency_id, name, envelope)
        select x.id, x.agency_id, x.name, x.envelope
        from json_to_recordset(${rows}::json) as x(id uuid, agency_id uuid, name text, envelope jsonb)`),
  });
  return envelopes;
}

/** `writeEvents` for one event. */
export async function writeEvent<N extends EventName>(tx: Tx, outbox: OutboxTable, event: EventToWrite<N>): Promise<EventEnvelope<EventPayload<N>>> {
  const [envelope] = await writeEvents(tx, outbox, [event as AnyEventToWrite]);
  return envelope as EventEnvelope<EventPayload<N>>;
}
