import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, date, index, integer, jsonb, numeric, pgSchema, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agencyId, inboxTable, outboxTable, tenantPolicy, jobScheduleRunsTable, jobsTable } from '@atelier/platform';

export const payments = pgSchema('payments');

export const outbox = outboxTable(payments);
export const inbox = inboxTable(payments);
export const jobs = jobsTable(payments);
export const jobScheduleRuns = jobScheduleRunsTable(payments);

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
/** Amounts at up to 4 decimals (the most any currency has); read back through `Money` at the currency's scale. */
const amount = (name: string) => numeric(name, { precision: 19, scale: 4 });
const day = (name: string) => date(name, { mode: 'string' });

/**
 * Replica of billing's issued invoices, kept from `billing.invoice.*` events (newest `version`
 * wins): what a checkout charges and whether it may. Billing owns the invoice.
 */
export const invoices = payments.table(
  'invoices',
  {
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    clientId: uuid('client_id').notNull(),
    number: text('number'),
    currency: char('currency', { length: 3 }).notNull(),
    total: amount('total'),
    amountDue: amount('amount_due'),
    status: text('status').notNull(),
    /** Hex SHA-256 of the public token: the public checkout finds the invoice by it. */
    publicTokenDigest: text('public_token_digest'),
    version: integer('version').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [index('invoices_agency_idx').on(t.agencyId, t.id), uniqueIndex('invoices_public_token_digest_idx').on(t.publicTokenDigest), tenantPolicy()],
);

/**
 * A payment of an invoice: through Stripe (one per PaymentIntent) or recorded by hand. State
 * machine `pending → succeeded | failed`, `succeeded → partially_refunded → refunded`.
 */
export const paymentRows = payments.table(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    invoiceId: uuid('invoice_id').notNull(),
    clientId: uuid('client_id'),
    amount: amount('amount').notNull(),
    amountRefunded: amount('amount_refunded').notNull().default('0'),
    currency: char('currency', { length: 3 }).notNull(),
    status: text('status').notNull(),
    method: text('method').notNull(),
    reference: text('reference'),
    paidOn: day('paid_on'),
    stripePaymentIntentId: text('stripe_payment_intent_id'),
    stripeChargeId: text('stripe_charge_id'),
    failureReason: text('failure_reason'),
    /** More than the invoice still owed when it succeeded: recorded, and flagged for a refund. */
    overpaid: boolean('overpaid').notNull().default(false),
    /**
     * How recent the Stripe state applied to it is: the `created` of the newest event whose own
     * object was applied, or when the PaymentIntent was last fetched. An event older than this is
     * not trusted as it stands; the PaymentIntent is fetched instead.
     */
    stripeStateAt: instant('stripe_state_at'),
    /** Grows with every change; the events carry it so billing keeps the newest. */
    version: integer('version').notNull().default(1),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('payments_agency_created_idx').on(t.agencyId, t.createdAt, t.id),
    index('payments_agency_invoice_idx').on(t.agencyId, t.invoiceId),
    uniqueIndex('payments_stripe_intent_idx').on(t.stripePaymentIntentId),
    check('payments_status', sql`status = any (array['pending', 'succeeded', 'failed', 'refunded', 'partially_refunded'])`),
    check('payments_method', sql`method = any (array['card', 'bank_transfer', 'cash', 'check', 'other'])`),
    check('payments_refund_bounds', sql`amount_refunded >= 0 and amount_refunded <= amount`),
    tenantPolicy(),
  ],
);

/** Refunds of a payment: Stripe's (by refund id) or recorded by hand for a manual payment. */
export const refunds = payments.table(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    paymentId: uuid('payment_id').notNull(),
    amount: amount('amount').notNull(),
    status: text('status').notNull(),
    stripeRefundId: text('stripe_refund_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('refunds_agency_payment_idx').on(t.agencyId, t.paymentId),
    uniqueIndex('refunds_stripe_refund_idx').on(t.stripeRefundId),
    check('refunds_status', sql`status = any (array['pending', 'succeeded', 'failed', 'canceled'])`),
    tenantPolicy(),
  ],
);

/** Every Stripe event received, once per event id (a redelivery finds its row and changes nothing). */
export const webhookEvents = payments.table(
  'webhook_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    stripeEventId: text('stripe_event_id').notNull(),
    type: text('type').notNull(),
    /** Stripe's `created` of the event. */
    stripeCreatedAt: instant('stripe_created_at').notNull(),
    receivedAt: instant('received_at').notNull().defaultNow(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(1),
    error: text('error'),
    payload: jsonb('payload').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_events_stripe_event_idx').on(t.stripeEventId),
    index('webhook_events_agency_received_idx').on(t.agencyId, t.receivedAt, t.id),
    check('webhook_events_status', sql`status = any (array['processed', 'ignored', 'failed'])`),
    tenantPolicy(),
  ],
);

/** Checkout Sessions made for invoices: one per invoice and amount due (the idempotency key). */
export const checkoutSessions = payments.table(
  'checkout_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    invoiceId: uuid('invoice_id').notNull(),
    amount: amount('amount').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    stripeSessionId: text('stripe_session_id').notNull(),
    url: text('url'),
    status: text('status').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('checkout_sessions_agency_invoice_idx').on(t.agencyId, t.invoiceId),
    uniqueIndex('checkout_sessions_stripe_session_idx').on(t.stripeSessionId),
    index('checkout_sessions_open_idx').on(t.createdAt).where(sql`status = 'open'`),
    check('checkout_sessions_status', sql`status = any (array['open', 'complete', 'expired'])`),
    tenantPolicy(),
  ],
);

/**
 * Where reconciliation left off in Stripe's events list (one row; Stripe's events are the
 * account's, not an agency's, so this holds no tenant data and has no agency).
 */
export const reconcileCursor = payments.table('reconcile_cursor', {
  id: smallint('id').primaryKey(),
  /** Unix seconds: the next run lists events created at or after this (less an overlap). */
  createdAfter: bigint('created_after', { mode: 'number' }).notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});
