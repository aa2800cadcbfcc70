import { sql } from 'drizzle-orm';
import { boolean, char, check, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agencyId, inboxTable, outboxTable, tenantPolicy } from '@atelier/platform';

export const billing = pgSchema('billing');

export const outbox = outboxTable(billing);
export const inbox = inboxTable(billing);

/** Local replica of CRM clients, kept from `crm.client.*` events; invoices need the address and tax id. */
export const clients = billing.table(
  'clients',
  {
    /** The CRM client id. */
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    name: text('name').notNull(),
    email: text('email'),
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    city: text('city'),
    region: text('region'),
    postalCode: text('postal_code'),
    country: char('country', { length: 2 }),
    taxId: text('tax_id'),
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
