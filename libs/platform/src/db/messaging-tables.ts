import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import { agencyId, tenantPolicy } from './tenant-table.js';

/** The transactional outbox of a service: events written with the change, published by the relay. */
export const outboxTable = (schema: PgSchema<string>) =>
  schema.table(
    'outbox',
    {
      seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
      id: uuid('id').notNull().unique(),
      agencyId: agencyId(),
      name: text('name').notNull(),
      envelope: jsonb('envelope').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      publishedAt: timestamp('published_at', { withTimezone: true }),
    },
    (t) => [
      index('outbox_agency_idx').on(t.agencyId, t.seq),
      index('outbox_unpublished_idx').on(t.seq).where(sql`published_at is null`),
      tenantPolicy(),
    ],
  );

/** Events a consumer has applied; the primary key makes a redelivered event a no-op. */
export const inboxTable = (schema: PgSchema<string>) =>
  schema.table(
    'inbox',
    {
      consumer: text('consumer').notNull(),
      eventId: uuid('event_id').notNull(),
      agencyId: agencyId(),
      processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.consumer, t.eventId] }), index('inbox_agency_idx').on(t.agencyId, t.processedAt), tenantPolicy()],
  );
