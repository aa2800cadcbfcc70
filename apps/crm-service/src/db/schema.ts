import { sql } from 'drizzle-orm';
import { boolean, char, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agencyId, inboxTable, outboxTable, tenantPolicy } from '@atelier/platform';

export const crm = pgSchema('crm');

export const outbox = outboxTable(crm);
export const inbox = inboxTable(crm);

export const clients = crm.table(
  'clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    website: text('website'),
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    city: text('city'),
    region: text('region'),
    postalCode: text('postal_code'),
    country: char('country', { length: 2 }),
    currency: char('currency', { length: 3 }).notNull().default('USD'),
    taxId: text('tax_id'),
    isActive: boolean('is_active').notNull().default(true),
    /** Grows with every change; events carry it so replicas keep the newest state. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('clients_agency_name_idx').on(t.agencyId, t.name, t.id).where(sql`deleted_at is null`),
    index('clients_agency_created_idx').on(t.agencyId, t.createdAt, t.id).where(sql`deleted_at is null`),
    index('clients_agency_updated_idx').on(t.agencyId, t.updatedAt, t.id).where(sql`deleted_at is null`),
    index('clients_agency_email_idx').on(t.agencyId, t.email),
    index('clients_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('clients_email_trgm_idx').using('gin', sql`${t.email} gin_trgm_ops`),
    tenantPolicy(),
  ],
);

export const timelineEntries = crm.table(
  'timeline_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    clientId: uuid('client_id').notNull(),
    eventId: uuid('event_id').notNull(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    actorId: uuid('actor_id'),
    entityKind: text('entity_kind').notNull(),
    entityId: uuid('entity_id').notNull(),
    /** When the consumer wrote it: `recorded_at - occurred_at` is the event's end-to-end latency. */
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('timeline_agency_occurred_idx').on(t.agencyId, t.occurredAt.desc(), t.id.desc()),
    index('timeline_agency_client_idx').on(t.agencyId, t.clientId, t.occurredAt.desc(), t.id.desc()),
    tenantPolicy(),
  ],
);
