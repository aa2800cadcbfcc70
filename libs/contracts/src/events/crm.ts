import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { Client } from '../http/clients.js';

/**
 * Client events carry the whole client and a version that grows with every change, so a
 * replica can keep the newest state whatever order the events arrive in.
 */
export const ClientSnapshotPayload = z.object({ client: Client, version: z.number().int().positive() });
export type ClientSnapshotPayload = z.infer<typeof ClientSnapshotPayload>;

export const ClientDeletedPayload = z.object({ clientId: Uuid, name: z.string(), version: z.number().int().positive(), deletedAt: Timestamp });
export type ClientDeletedPayload = z.infer<typeof ClientDeletedPayload>;

export const crmEvents = {
  'crm.client.created.v1': ClientSnapshotPayload,
  'crm.client.updated.v1': ClientSnapshotPayload,
  'crm.client.deleted.v1': ClientDeletedPayload,
} as const;
