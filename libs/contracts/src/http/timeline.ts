import { z } from 'zod';
import { Timestamp, Uuid, listResponse } from '../common.js';

export const TimelineEntry = z
  .object({
    id: Uuid,
    clientId: Uuid,
    type: z.string().meta({ description: 'the event name, e.g. crm.client.created.v1' }),
    title: z.string(),
    occurredAt: Timestamp,
    actorId: Uuid.nullable(),
    entity: z.object({ kind: z.string(), id: Uuid }),
    /** The member who acted, by name, once crm has heard of the member (`identity.member.*` events); null otherwise. */
    actorName: z.string().nullable(),
    /** The client's name now (null for a client crm never knew), and whether it has been deleted: its page is gone. */
    clientName: z.string().nullable(),
    clientDeleted: z.boolean(),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const TimelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  clientId: Uuid.optional(),
  type: z.string().max(100).optional(),
  /** Entity kind of the entry: client, contact, note, project, invoice, … */
  entityKind: z.string().max(50).optional(),
  from: Timestamp.or(z.iso.date()).optional(),
  to: Timestamp.or(z.iso.date()).optional(),
});
export type TimelineQuery = z.infer<typeof TimelineQuery>;
export const TimelineList = listResponse(TimelineEntry);
