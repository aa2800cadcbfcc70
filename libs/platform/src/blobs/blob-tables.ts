import { bigint, customType, index, integer, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import { agencyId, tenantPolicy } from '../db/tenant-table.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const BLOB_STATUSES = ['writing', 'stored'] as const;
export const BLOB_BACKENDS = ['postgres', 's3'] as const;
export type BlobBackendName = (typeof BLOB_BACKENDS)[number];

/**
 * The blobs of a service (`<schema>.blobs`): one tenant row per stored content, whichever backend
 * holds the bytes, with its size and SHA-256. A row is `writing` from the upload's first byte (so a
 * process that dies mid-upload leaves a row the collector finds) and `stored` once complete.
 */
export const blobsTable = (schema: PgSchema<string>) =>
  schema.table(
    'blobs',
    {
      id: uuid('id').primaryKey(),
      agencyId: agencyId(),
      status: text('status', { enum: BLOB_STATUSES }).notNull().default('writing'),
      /** Where the bytes are: a blob keeps its backend even after the service's configuration changes. */
      backend: text('backend', { enum: BLOB_BACKENDS }).notNull(),
      size: bigint('size', { mode: 'number' }),
      sha256: text('sha256'),
      contentType: text('content_type'),
      createdAt: ts('created_at').notNull().defaultNow(),
      storedAt: ts('stored_at'),
    },
    (t) => [index('blobs_agency_created_idx').on(t.agencyId, t.createdAt), tenantPolicy()],
  );

/**
 * The content of Postgres-backed blobs in pieces of at most 1 MiB, in order: written and read one
 * piece per statement, so neither side holds a whole file. The migration sets the column's storage
 * to EXTERNAL (uploads are mostly compressed already; TOAST compression would only cost CPU).
 */
export const blobChunksTable = (schema: PgSchema<string>) =>
  schema.table(
    'blob_chunks',
    {
      blobId: uuid('blob_id').notNull(),
      seq: integer('seq').notNull(),
      agencyId: agencyId(),
      data: bytea('data').notNull(),
    },
    (t) => [primaryKey({ columns: [t.blobId, t.seq] }), index('blob_chunks_agency_idx').on(t.agencyId, t.blobId), tenantPolicy()],
  );
