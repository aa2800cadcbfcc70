import type { AttachmentOwner } from '@atelier/contracts';
import { bigint, primaryKey, text, timestamp, type PgSchema } from 'drizzle-orm/pg-core';
import { agencyId, tenantPolicy } from '../db/tenant-table.js';

/**
 * What each owning service's attachments take for an agency (`<schema>.attachment_usage`), one row
 * per agency and owner: the service's own row, recomputed under the agency's quota lock at every
 * change and published as `<owner>.attachment.usage.v1`, and the other owners' rows, replicated
 * from their events (newest version wins). The quota check adds the other owners' bytes to the
 * service's own live usage.
 */
export const attachmentUsageTable = (schema: PgSchema<string>) =>
  schema.table(
    'attachment_usage',
    {
      agencyId: agencyId(),
      owner: text('owner').$type<AttachmentOwner>().notNull(),
      bytes: bigint('bytes', { mode: 'number' }).notNull(),
      /** Grows with every change of the owner's usage; the event carries it. */
      version: bigint('version', { mode: 'number' }).notNull(),
      updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.agencyId, t.owner] }), tenantPolicy()],
  );

export type AttachmentUsageTable = ReturnType<typeof attachmentUsageTable>;
export type AttachmentUsageRow = AttachmentUsageTable['$inferSelect'];
