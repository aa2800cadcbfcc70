import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agencyId, blobChunksTable, blobsTable, inboxTable, outboxTable, tenantPolicy, jobScheduleRunsTable, jobsTable } from '@atelier/platform';

export const billing = pgSchema('billing');

export const outbox = outboxTable(billing);
export const inbox = inboxTable(billing);
export const jobs = jobsTable(billing);
export const jobScheduleRuns = jobScheduleRunsTable(billing);
/** Sent invoices' PDFs (kit blob store): the exact file the email carried, served ever after. */
export const blobs = blobsTable(billing);
export const blobChunks = blobChunksTable(billing);

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
/** Amounts at up to 4 decimals (the most any currency has); read back through `Money` at the currency's scale. */
const amount = (name: string) => numeric(name, { precision: 19, scale: 4 });
/** A percentage such as 19 or 9.975 (below 100). */
const percent = (name: string) => numeric(name, { precision: 7, scale: 4 });
const day = (name: string) => date(name, { mode: 'string' });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

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

/**
 * Local replica of CRM contacts, kept from `crm.contact.*` events: an invoice goes to its
 * client's primary contact. No uniqueness of the primary here: while events converge, a
 * promotion may arrive before the demotion of the previous primary (the newest wins on read).
 */
export const contacts = billing.table(
  'contacts',
  {
    /** The CRM contact id. */
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    clientId: uuid('client_id').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    email: text('email'),
    phone: text('phone'),
    title: text('title'),
    isPrimary: boolean('is_primary').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
    /** The CRM version of the state held here; only a higher version replaces it. */
    version: integer('version').notNull(),
    /** When CRM last changed the contact. */
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('contacts_agency_client_idx').on(t.agencyId, t.clientId).where(sql`deleted_at is null`), tenantPolicy()],
);

// Replicas of the gateway and projects -------------------------------------------------------

/**
 * The agency itself (`identity.agency.updated.v1`): its details head every invoice, its timezone
 * makes the invoice year, "today" and the overdue and reminder hours. `country` picks A4 or Letter
 * (null until identity publishes one: A4).
 */
export const agencies = billing.table(
  'agencies',
  {
    /** The agency id (equal to `agency_id`; the kit keys replicas by `id`). */
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    email: text('email'),
    phone: text('phone'),
    website: text('website'),
    /** Free-form, one line per line of the address, as the agency typed it. */
    address: text('address'),
    country: char('country', { length: 2 }),
    taxId: text('tax_id'),
    /** A `data:` URL of the PNG or JPEG logo (what the event carries); the PDF embeds it, no request leaves. */
    logo: text('logo'),
    version: bigint('version', { mode: 'number' }).notNull(),
  },
  (t) => [index('agencies_agency_idx').on(t.agencyId), tenantPolicy()],
);

/**
 * The agency's members (`identity.member.*`, newest version wins): who sent an invoice, whose time
 * a line bills. `id` is `memberRowId(agency, user)` (a person may belong to several agencies).
 */
export const members = billing.table(
  'members',
  {
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    role: text('role'),
    removed: boolean('removed').notNull().default(false),
    version: bigint('version', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('members_agency_user_idx').on(t.agencyId, t.userId), tenantPolicy()],
);

/** Projects (`projects.project.*`): an invoice's project, its currency and billability. A tombstone that arrived first has no name or currency. */
export const projects = billing.table(
  'projects',
  {
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    clientId: uuid('client_id').notNull(),
    name: text('name').notNull(),
    status: text('status'),
    currency: char('currency', { length: 3 }),
    isBillable: boolean('is_billable').notNull().default(true),
    /** The project-scope rate in force when projects last published it (display only: entries carry their frozen rate). */
    hourlyRate: amount('hourly_rate'),
    version: integer('version').notNull(),
    updatedAt: instant('updated_at').notNull(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [
    index('projects_agency_client_idx').on(t.agencyId, t.clientId, t.name).where(sql`deleted_at is null`),
    check('projects_live_has_currency', sql`deleted_at is not null or currency is not null`),
    tenantPolicy(),
  ],
);

/** Tasks (`projects.task.*`): their titles describe invoice lines grouped by task. */
export const tasks = billing.table(
  'tasks',
  {
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    projectId: uuid('project_id').notNull(),
    title: text('title').notNull(),
    status: text('status'),
    version: integer('version').notNull(),
    updatedAt: instant('updated_at').notNull(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [index('tasks_agency_project_idx').on(t.agencyId, t.projectId), tenantPolicy()],
);

export const TIME_BILLING_STATUSES = ['unbilled', 'reserved', 'billed'] as const;

/**
 * The time entries as projects last published them (`projects.time_entry.*`, billing_changed and
 * resync included): the unbilled view and the source of drafts from time. `billing_status` and
 * `invoice_id` are projects' view of the entry; what billing itself reserved is in
 * `invoice_line_time_entries`. A tombstone that arrived before any snapshot has only its ids.
 */
export const timeEntries = billing.table(
  'time_entries',
  {
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    projectId: uuid('project_id').notNull(),
    clientId: uuid('client_id').notNull(),
    taskId: uuid('task_id'),
    userId: uuid('user_id'),
    /** The work day in the agency's timezone. */
    date: day('date'),
    minutes: integer('minutes'),
    /** After the agency's rounding rule: what is billed. */
    roundedMinutes: integer('rounded_minutes'),
    description: text('description'),
    isBillable: boolean('is_billable'),
    /** Frozen on the entry when it was logged (null: no rate applied). */
    hourlyRate: amount('hourly_rate'),
    rateSource: text('rate_source'),
    currency: char('currency', { length: 3 }),
    amount: amount('amount'),
    billingStatus: text('billing_status', { enum: TIME_BILLING_STATUSES }),
    invoiceId: uuid('invoice_id'),
    version: integer('version').notNull(),
    updatedAt: instant('updated_at').notNull(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [
    index('time_entries_agency_unbilled_idx')
      .on(t.agencyId, t.projectId, t.date)
      .where(sql`deleted_at is null and is_billable and billing_status = 'unbilled'`),
    index('time_entries_agency_client_idx').on(t.agencyId, t.clientId).where(sql`deleted_at is null`),
    check(
      'time_entries_live_is_complete',
      sql`deleted_at is not null or (user_id is not null and date is not null and minutes is not null and rounded_minutes is not null and is_billable is not null and currency is not null and amount is not null and billing_status is not null)`,
    ),
    check('time_entries_billing_status_check', sql`billing_status is null or billing_status = ANY (ARRAY['unbilled'::text, 'reserved'::text, 'billed'::text])`),
    check('time_entries_minutes_not_negative', sql`coalesce(minutes, 0) >= 0 and coalesce(rounded_minutes, 0) >= 0`),
    tenantPolicy(),
  ],
);

// Invoices -------------------------------------------------------------------------------------

export const INVOICE_STATUSES = ['draft', 'sent', 'viewed', 'partially_paid', 'paid', 'overdue', 'void'] as const;
export const DISCOUNT_TYPES = ['amount', 'percent'] as const;

/**
 * Invoices. The figures (subtotal … amount_due) are what libs/money `invoiceTotals` returned for
 * the lines, discount and taxes, stored so lists and sums need no recomputation; `amount_paid` is
 * the sum of `invoice_payments`. A draft has no number; issuing assigns `number` once, from
 * `invoice_number_counters` (`number_year`, `number_seq` are its parts: gapless per agency and
 * year). `taxes` holds the document's named taxes (at most two, on the same base); `tax_rate` a
 * single unnamed rate. `public_token_hash` is the SHA-256 of the public page's token (made when
 * first issued). `version` grows with every change; events carry it.
 */
export const invoices = billing.table(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    clientId: uuid('client_id').notNull(),
    projectId: uuid('project_id'),
    number: text('number'),
    numberYear: smallint('number_year'),
    numberSeq: integer('number_seq'),
    status: text('status', { enum: INVOICE_STATUSES }).notNull().default('draft'),
    issueDate: day('issue_date'),
    dueDate: day('due_date'),
    currency: char('currency', { length: 3 }).notNull(),
    discountType: text('discount_type', { enum: DISCOUNT_TYPES }),
    discountValue: amount('discount_value'),
    taxRate: percent('tax_rate'),
    taxes: jsonb('taxes').$type<{ name: string | null; rate: string }[]>().notNull().default(sql`'[]'::jsonb`),
    /** Rounding of the taxes (`line`/`document`), taken from the settings when the draft was made, so a settings change never moves an issued total. */
    rounding: text('rounding', { enum: ['line', 'document'] }).notNull().default('document'),
    subtotal: amount('subtotal').notNull().default('0'),
    discountAmount: amount('discount_amount').notNull().default('0'),
    taxAmount: amount('tax_amount').notNull().default('0'),
    /** Each tax's base and amount, as `invoiceTotals` returned them. */
    taxLines: jsonb('tax_lines').$type<{ name: string | null; rate: string; base: string; amount: string }[]>().notNull().default(sql`'[]'::jsonb`),
    total: amount('total').notNull().default('0'),
    amountPaid: amount('amount_paid').notNull().default('0'),
    amountDue: amount('amount_due').notNull().default('0'),
    notes: text('notes'),
    terms: text('terms'),
    /** The client's name and address as they were when issued: the PDF and public page of an issued invoice do not change with the CRM. */
    billTo: jsonb('bill_to').$type<Record<string, unknown>>(),
    publicTokenHash: bytea('public_token_hash'),
    sentAt: instant('sent_at'),
    viewedAt: instant('viewed_at'),
    overdueAt: instant('overdue_at'),
    paidAt: instant('paid_at'),
    voidedAt: instant('voided_at'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_agency_number_key').on(t.agencyId, t.number).where(sql`number is not null`),
    uniqueIndex('invoices_agency_year_seq_key').on(t.agencyId, t.numberYear, t.numberSeq).where(sql`number_seq is not null`),
    uniqueIndex('invoices_public_token_key').on(t.publicTokenHash).where(sql`public_token_hash is not null`),
    index('invoices_agency_created_idx').on(t.agencyId, t.createdAt, t.id),
    index('invoices_agency_issue_idx').on(t.agencyId, t.issueDate, t.id),
    index('invoices_agency_status_due_idx').on(t.agencyId, t.status, t.dueDate),
    index('invoices_agency_client_idx').on(t.agencyId, t.clientId, t.createdAt),
    index('invoices_agency_project_idx').on(t.agencyId, t.projectId).where(sql`project_id is not null`),
    index('invoices_open_due_idx').on(t.agencyId, t.dueDate).where(sql`status in ('sent', 'viewed', 'partially_paid')`),
    check('invoices_status_check', sql`status = ANY (ARRAY['draft'::text, 'sent'::text, 'viewed'::text, 'partially_paid'::text, 'paid'::text, 'overdue'::text, 'void'::text])`),
    check('invoices_discount_type_check', sql`discount_type is null or discount_type = ANY (ARRAY['amount'::text, 'percent'::text])`),
    check('invoices_discount_whole', sql`(discount_type is null) = (discount_value is null)`),
    check('invoices_discount_not_negative', sql`coalesce(discount_value, 0) >= 0 and (discount_type is distinct from 'percent' or discount_value <= 100)`),
    check('invoices_rounding_check', sql`rounding = ANY (ARRAY['line'::text, 'document'::text])`),
    check('invoices_tax_rate_range', sql`tax_rate is null or (tax_rate >= 0 and tax_rate < 100)`),
    check('invoices_taxes_at_most_two', sql`jsonb_typeof(taxes) = 'array' and jsonb_array_length(taxes) <= 2`),
    // The number is assigned when a draft is first issued and never taken away; a draft has none.
    check('invoices_number_once_issued', sql`(status = 'draft') = (number is null) and (number is null) = (number_seq is null) and (number_seq is null) = (number_year is null)`),
    check('invoices_issued_has_date', sql`status = 'draft' or issue_date is not null`),
    check('invoices_dates_in_order', sql`issue_date is null or due_date is null or due_date >= issue_date`),
    // An overpayment keeps nothing due (never a negative amount due); what was paid beyond the total shows as amount_paid > total.
    check('invoices_amount_due', sql`amount_due = greatest(total - amount_paid, 0) and amount_paid >= 0`),
    check('invoices_public_token_length', sql`public_token_hash is null or octet_length(public_token_hash) = 32`),
    check('invoices_void_when_voided', sql`(status = 'void') = (voided_at is not null)`),
    tenantPolicy(),
  ],
);

/**
 * How many invoices each client of an agency has in each status, kept by statement triggers on
 * `invoices` (migration 0009) in the same transaction as the change: the list's total for "all",
 * a status tab or a client reads a few of these rows instead of counting 100,000 invoices.
 */
export const invoiceTallies = billing.table(
  'invoice_tallies',
  {
    agencyId: agencyId(),
    clientId: uuid('client_id').notNull(),
    status: text('status', { enum: INVOICE_STATUSES }).notNull(),
    invoices: integer('invoices').notNull(),
  },
  (t) => [primaryKey({ name: 'invoice_tallies_pk', columns: [t.agencyId, t.clientId, t.status] }), tenantPolicy()],
);

/** An invoice's lines; `amount` = quantity × unit price rounded to the currency (`invoiceTotals`). */
export const invoiceLines = billing.table(
  'invoice_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    invoiceId: uuid('invoice_id').notNull(),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
    unitPrice: amount('unit_price').notNull(),
    amount: amount('amount').notNull(),
    /** This line's own rate in place of the document's taxes ("0": exempt); null: the document's apply. */
    taxRate: percent('tax_rate'),
    sortOrder: integer('sort_order').notNull(),
  },
  (t) => [
    foreignKey({ name: 'invoice_lines_invoice_fk', columns: [t.invoiceId], foreignColumns: [invoices.id] }).onDelete('cascade'),
    index('invoice_lines_agency_invoice_idx').on(t.agencyId, t.invoiceId, t.sortOrder),
    check('invoice_lines_tax_rate_range', sql`tax_rate is null or (tax_rate >= 0 and tax_rate < 100)`),
    check('invoice_lines_sort_order_not_negative', sql`sort_order >= 0`),
    tenantPolicy(),
  ],
);

/**
 * The time entries a line bills, as billing reserved them: the entry's version, rounded minutes,
 * frozen rate and amount then (what the issued invoice bills, and what projects checks against
 * the entry's own). `released_at` is set when the line is removed, the draft deleted or the
 * invoice voided; `invoice_line_time_entries_live_key` keeps an entry on at most one live invoice.
 */
export const invoiceLineTimeEntries = billing.table(
  'invoice_line_time_entries',
  {
    agencyId: agencyId(),
    lineId: uuid('line_id').notNull(),
    invoiceId: uuid('invoice_id').notNull(),
    timeEntryId: uuid('time_entry_id').notNull(),
    entryVersion: integer('entry_version').notNull(),
    roundedMinutes: integer('rounded_minutes').notNull(),
    hourlyRate: amount('hourly_rate'),
    amount: amount('amount').notNull(),
    reservedAt: instant('reserved_at').notNull().defaultNow(),
    releasedAt: instant('released_at'),
    /** Set when projects refused the reservation (the entry changed or was taken meanwhile): issuing is refused (`invoice.time_changed`) until the line is edited. */
    refusedReason: text('refused_reason'),
  },
  (t) => [
    primaryKey({ name: 'invoice_line_time_entries_pk', columns: [t.lineId, t.timeEntryId] }),
    foreignKey({ name: 'invoice_line_time_entries_line_fk', columns: [t.lineId], foreignColumns: [invoiceLines.id] }).onDelete('cascade'),
    foreignKey({ name: 'invoice_line_time_entries_invoice_fk', columns: [t.invoiceId], foreignColumns: [invoices.id] }).onDelete('cascade'),
    uniqueIndex('invoice_line_time_entries_live_key').on(t.agencyId, t.timeEntryId).where(sql`released_at is null`),
    index('invoice_line_time_entries_agency_invoice_idx').on(t.agencyId, t.invoiceId),
    check('invoice_line_time_entries_minutes_not_negative', sql`rounded_minutes >= 0`),
    tenantPolicy(),
  ],
);

/** The last number issued per agency and year (the agency's timezone): read and bumped under a row lock in the issuing transaction, so a rollback leaves no gap. */
export const invoiceNumberCounters = billing.table(
  'invoice_number_counters',
  {
    agencyId: agencyId(),
    year: smallint('year').notNull(),
    lastValue: integer('last_value').notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'invoice_number_counters_pk', columns: [t.agencyId, t.year] }),
    check('invoice_number_counters_not_negative', sql`last_value >= 0`),
    tenantPolicy(),
  ],
);

/** Settings › Invoicing per agency; a missing row means `DEFAULT_INVOICING_SETTINGS` (the column defaults are the same). */
export const invoicingSettings = billing.table(
  'invoicing_settings',
  {
    agencyId: agencyId().primaryKey(),
    numberFormat: text('number_format').notNull().default('INV-{YYYY}-{SEQ:4}'),
    defaultDueDays: smallint('default_due_days').notNull().default(30),
    defaultTaxRate: percent('default_tax_rate'),
    defaultTerms: text('default_terms'),
    defaultNotes: text('default_notes'),
    rounding: text('rounding', { enum: ['line', 'document'] }).notNull().default('document'),
    reminderDays: smallint('reminder_days').array().notNull().default(sql`'{7,14}'::smallint[]`),
    fromName: text('from_name'),
    replyTo: text('reply_to'),
    footer: text('footer'),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  () => [
    check('invoicing_settings_rounding_check', sql`rounding = ANY (ARRAY['line'::text, 'document'::text])`),
    check('invoicing_settings_due_days_range', sql`default_due_days between 0 and 365`),
    check('invoicing_settings_tax_rate_range', sql`default_tax_rate is null or (default_tax_rate >= 0 and default_tax_rate < 100)`),
    tenantPolicy(),
  ],
);

/** Every status an invoice went through, with who moved it (null: the system, a payment). */
export const invoiceStatusHistory = billing.table(
  'invoice_status_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    invoiceId: uuid('invoice_id').notNull(),
    status: text('status', { enum: INVOICE_STATUSES }).notNull(),
    at: instant('at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
  },
  (t) => [
    foreignKey({ name: 'invoice_status_history_invoice_fk', columns: [t.invoiceId], foreignColumns: [invoices.id] }).onDelete('cascade'),
    index('invoice_status_history_agency_invoice_idx').on(t.agencyId, t.invoiceId, t.at),
    check('invoice_status_history_status_check', sql`status = ANY (ARRAY['draft'::text, 'sent'::text, 'viewed'::text, 'partially_paid'::text, 'paid'::text, 'overdue'::text, 'void'::text])`),
    tenantPolicy(),
  ],
);

/**
 * The PDF stored when the invoice was first sent, with its SHA-256: that exact file is what
 * `GET …/pdf` and every email return afterwards. `blob_id` is a reference the kit's blob store
 * tracks (declare it in the service's `blobs.references`), as projects' attachments are.
 */
export const invoiceDocuments = billing.table(
  'invoice_documents',
  {
    invoiceId: uuid('invoice_id').primaryKey(),
    agencyId: agencyId(),
    blobId: uuid('blob_id').notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    size: integer('size').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'invoice_documents_invoice_fk', columns: [t.invoiceId], foreignColumns: [invoices.id] }).onDelete('cascade'),
    index('invoice_documents_agency_idx').on(t.agencyId, t.invoiceId),
    check('invoice_documents_size_positive', sql`size > 0`),
    tenantPolicy(),
  ],
);

/** Each scheduled reminder (`reminder_day` after the due date) once per invoice: the insert that wins is the one replica that sends it. */
export const invoiceReminders = billing.table(
  'invoice_reminders',
  {
    agencyId: agencyId(),
    invoiceId: uuid('invoice_id').notNull(),
    reminderDay: smallint('reminder_day').notNull(),
    sentAt: instant('sent_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'invoice_reminders_pk', columns: [t.invoiceId, t.reminderDay] }),
    foreignKey({ name: 'invoice_reminders_invoice_fk', columns: [t.invoiceId], foreignColumns: [invoices.id] }).onDelete('cascade'),
    index('invoice_reminders_agency_invoice_idx').on(t.agencyId, t.invoiceId),
    check('invoice_reminders_day_positive', sql`reminder_day > 0`),
    tenantPolicy(),
  ],
);

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'refunded', 'partially_refunded'] as const;

/**
 * Payments of invoices as payments-service published them (`payments.payment.*`, newest version
 * wins): one row per payment, so redeliveries apply once and `invoices.amount_paid` is the sum of
 * `amount - amount_refunded` over succeeded and (partially) refunded rows.
 */
export const invoicePayments = billing.table(
  'invoice_payments',
  {
    /** The payments-service payment id. */
    paymentId: uuid('payment_id').primaryKey(),
    agencyId: agencyId(),
    invoiceId: uuid('invoice_id').notNull(),
    amount: amount('amount').notNull(),
    amountRefunded: amount('amount_refunded').notNull().default('0'),
    currency: char('currency', { length: 3 }).notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
    method: text('method'),
    paidOn: day('paid_on'),
    version: integer('version').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'invoice_payments_invoice_fk', columns: [t.invoiceId], foreignColumns: [invoices.id] }),
    index('invoice_payments_agency_invoice_idx').on(t.agencyId, t.invoiceId),
    check('invoice_payments_status_check', sql`status = ANY (ARRAY['pending'::text, 'succeeded'::text, 'failed'::text, 'refunded'::text, 'partially_refunded'::text])`),
    check('invoice_payments_amounts', sql`amount >= 0 and amount_refunded >= 0 and amount_refunded <= amount`),
    tenantPolicy(),
  ],
);
