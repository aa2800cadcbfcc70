import { z } from 'zod';
import { Timestamp, Uuid } from './common.js';

/** Every message on the bus travels in this envelope; `name` is also the routing key. */
export const EventEnvelope = z.object({
  id: Uuid,
  name: z.string().regex(/^[a-z]+\.[a-z_]+\.[a-z_]+\.v\d+$/),
  occurredAt: Timestamp,
  agencyId: Uuid,
  actorId: Uuid.nullable(),
  payload: z.unknown(),
  trace: z.object({ traceparent: z.string().optional(), requestId: z.string().optional() }).default({}),
});
export type EventEnvelope<P = unknown> = Omit<z.infer<typeof EventEnvelope>, 'payload'> & { payload: P };

/**
 * The client an event names (events.md › Rules: `clientId` at the top of the payload), or null
 * for an event about no single client (a resync, an agency change). Never read from deeper
 * payload shapes: an event that concerns a client says so.
 */
export function namedClientId(event: EventEnvelope): string | null {
  const payload = event.payload;
  if (typeof payload !== 'object' || payload === null || !('clientId' in payload)) return null;
  const clientId = (payload as { clientId: unknown }).clientId;
  return typeof clientId === 'string' && Uuid.safeParse(clientId).success ? clientId : null;
}
