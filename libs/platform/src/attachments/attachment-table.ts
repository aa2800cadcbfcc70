import { sql } from 'drizzle-orm';
import { bigint, index, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import { agencyId, tenantPolicy } from '../db/tenant-table.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Files attached to a service's entities (`<schema>.attachments`): the parent (kind + id), its
 * client, the blob holding the bytes and what the list shows. A removed attachment, or one whose
 * parent was deleted, is soft-deleted; its blob is then collected by the kit's job.
 */
export const attachmentsTable = (schema: PgSchema<string>) =>
  schema.table(
    'attachments',
    {
      /** UUIDv8 naming the owning service (`newAttachmentId`), so the gateway routes by it. */
      id: uuid('id').primaryKey(),
      agencyId: agencyId(),
      parentKind: text('parent_kind', { enum: ['client', 'project', 'task'] }).notNull(),
      parentId: uuid('parent_id').notNull(),
      clientId: uuid('client_id'),
      blobId: uuid('blob_id').notNull(),
      fileName: text('file_name').notNull(),
      size: bigint('size', { mode: 'number' }).notNull(),
      contentType: text('content_type').notNull(),
      sha256: text('sha256').notNull(),
      uploadedBy: uuid('uploaded_by').notNull(),
      createdAt: ts('created_at').notNull().defaultNow(),
      deletedAt: ts('deleted_at'),
    },
    (t) => [
      index('attachments_agency_parent_idx').on(t.agencyId, t.parentKind, t.parentId, t.createdAt.desc(), t.id.desc()).where(sql`deleted_at is null`),
      // The blob collector asks, per blob, whether a live attachment still names it.
      index('attachments_blob_idx').on(t.blobId).where(sql`deleted_at is null`),
      tenantPolicy(),
    ],
  );

export type AttachmentsTable = ReturnType<typeof attachmentsTable>;
export type AttachmentRow = AttachmentsTable['$inferSelect'];
