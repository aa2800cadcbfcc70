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
