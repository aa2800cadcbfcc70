import { sql } from 'drizzle-orm';
import { boolean, char, check, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agencyId, inboxTable, outboxTable, tenantPolicy } from '@atelier/platform';

export const projects = pgSchema('projects');

export const outbox = outboxTable(projects);
export const inbox = inboxTable(projects);

/** Local replica of CRM clients, kept from `crm.client.*` events; CRM owns the data. */
export const clients = projects.table(
  'clients',
  {
    /** The CRM client id. */
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    name: text('name').notNull(),
    email: text('email'),
    /** Null only on a tombstone: a delete that arrived before any snapshot of the client. */
    currency: char('currency', { length: 3 }),
    isActive: boolean('is_active').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
    /** The CRM version of the state held here; only a higher version replaces it. */
    version: integer('version').notNull(),
    /** When CRM last changed the client (not when the replica was written). */
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    index('clients_agency_name_idx').on(t.agencyId, t.name, t.id).where(sql`deleted_at is null`),
    check('clients_live_has_currency', sql`deleted_at is not null or currency is not null`),
    tenantPolicy(),
  ],
);
