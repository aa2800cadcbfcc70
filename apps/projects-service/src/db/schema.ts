import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, date, foreignKey, index, integer, numeric, pgSchema, primaryKey, smallint, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agencyId, attachmentsTable, attachmentUsageTable, blobChunksTable, blobsTable, inboxTable, outboxTable, tenantPolicy, jobScheduleRunsTable, jobsTable } from '@atelier/platform';

export const projects = pgSchema('projects');

export const outbox = outboxTable(projects);
export const inbox = inboxTable(projects);
export const jobs = jobsTable(projects);
export const jobScheduleRuns = jobScheduleRunsTable(projects);
export const blobs = blobsTable(projects);
export const blobChunks = blobChunksTable(projects);
/** Files attached to projects and tasks (kit table; the blobs hold their bytes). */
export const attachments = attachmentsTable(projects);
/** What the agency's attachments take here and, replicated from their events, in the other owning services (one quota). */
export const attachmentUsage = attachmentUsageTable(projects);

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

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
/** Amounts at up to 4 decimals (the most any currency has); read back through `Money` at the currency's scale. */
const amount = (name: string) => numeric(name, { precision: 19, scale: 4 });
const day = (name: string) => date(name, { mode: 'string' });

/**
 * The agency's members, a replica of the gateway's `identity.member.*` events (newest version
 * wins): who may be an assignee, whose timesheet and rates. `id` is derived from agency and user
 * (`memberRowId`: a person may belong to several agencies; the kit keys replicas by one id). A
 * removed member keeps name and role, so old entries still say whose they were.
 */
export const members = projects.table(
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

/** The agency itself (`identity.agency.updated.v1`): its timezone makes an entry's work day, its currency the default of agency rates. */
export const agencies = projects.table(
  'agencies',
  {
    /** The agency id (equal to `agency_id`; the kit keys replicas by `id`). */
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
  },
  (t) => [index('agencies_agency_idx').on(t.agencyId), tenantPolicy()],
);

export const PROJECT_STATUSES = ['active', 'on_hold', 'completed', 'cancelled'] as const;

export const projectsTable = projects.table(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    clientId: uuid('client_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    status: text('status', { enum: PROJECT_STATUSES }).notNull().default('active'),
    startDate: day('start_date'),
    dueDate: day('due_date'),
    budgetHours: numeric('budget_hours', { precision: 9, scale: 2 }),
    budgetAmount: amount('budget_amount'),
    currency: char('currency', { length: 3 }).notNull(),
    isBillable: boolean('is_billable').notNull().default(true),
    /** Grows with every change of the project's snapshot; events carry it. */
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [
    foreignKey({ name: 'projects_client_fk', columns: [t.clientId], foreignColumns: [clients.id] }),
    index('projects_agency_name_idx').on(t.agencyId, t.name, t.id).where(sql`deleted_at is null`),
    index('projects_agency_created_idx').on(t.agencyId, t.createdAt, t.id).where(sql`deleted_at is null`),
    index('projects_agency_client_idx').on(t.agencyId, t.clientId).where(sql`deleted_at is null`),
    check('projects_status_check', sql`status = ANY (ARRAY['active'::text, 'on_hold'::text, 'completed'::text, 'cancelled'::text])`),
    check('projects_dates_in_order', sql`start_date is null or due_date is null or due_date >= start_date`),
    check('projects_budgets_not_negative', sql`coalesce(budget_hours, 0) >= 0 and coalesce(budget_amount, 0) >= 0`),
    tenantPolicy(),
  ],
);

export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'done'] as const;
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

/**
 * Tasks on a project's board. `sort_order` is the position in its status column; the unique
 * constraint `tasks_column_position_key` (project, status, sort_order), DEFERRABLE INITIALLY
 * DEFERRED (migration SQL: drizzle cannot declare it), lets a reorder rewrite a whole column in
 * one statement and still forbids two tasks on one position at commit. A deleted task leaves the
 * board: its sort_order is set to null (nulls never collide).
 */
export const tasks = projects.table(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    projectId: uuid('project_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    status: text('status', { enum: TASK_STATUSES }).notNull().default('todo'),
    priority: text('priority', { enum: TASK_PRIORITIES }).notNull().default('medium'),
    assigneeId: uuid('assignee_id'),
    dueDate: day('due_date'),
    estimatedHours: numeric('estimated_hours', { precision: 9, scale: 2 }),
    sortOrder: integer('sort_order'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [
    foreignKey({ name: 'tasks_project_fk', columns: [t.projectId], foreignColumns: [projectsTable.id] }),
    index('tasks_agency_board_idx').on(t.agencyId, t.projectId, t.status, t.sortOrder).where(sql`deleted_at is null`),
    index('tasks_agency_assignee_idx').on(t.agencyId, t.assigneeId).where(sql`deleted_at is null`),
    check('tasks_status_check', sql`status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'blocked'::text, 'done'::text])`),
    check('tasks_priority_check', sql`priority = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'urgent'::text])`),
    check('tasks_live_has_position', sql`deleted_at is not null or sort_order is not null`),
    check('tasks_estimate_not_negative', sql`coalesce(estimated_hours, 0) >= 0`),
    tenantPolicy(),
  ],
);

export const RATE_SCOPES = ['agency', 'member', 'client', 'project', 'project_member'] as const;

/** Hourly rates by scope and effective day; the most specific scope, then the latest `effective_from` on or before the entry's day, wins. */
export const rateCards = projects.table(
  'rate_cards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    scope: text('scope', { enum: RATE_SCOPES }).notNull(),
    clientId: uuid('client_id'),
    projectId: uuid('project_id'),
    userId: uuid('user_id'),
    amount: amount('amount').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    effectiveFrom: day('effective_from').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'rate_cards_project_fk', columns: [t.projectId], foreignColumns: [projectsTable.id] }),
    unique('rate_cards_target_day_key').on(t.agencyId, t.scope, t.clientId, t.projectId, t.userId, t.effectiveFrom).nullsNotDistinct(),
    index('rate_cards_agency_project_idx').on(t.agencyId, t.projectId, t.userId, t.effectiveFrom),
    check('rate_cards_scope_check', sql`scope = ANY (ARRAY['agency'::text, 'member'::text, 'client'::text, 'project'::text, 'project_member'::text])`),
    check(
      'rate_cards_scope_targets',
      sql`(client_id is not null) = (scope = 'client') and (project_id is not null) = (scope in ('project', 'project_member')) and (user_id is not null) = (scope in ('member', 'project_member'))`,
    ),
    check('rate_cards_amount_not_negative', sql`amount >= 0`),
    tenantPolicy(),
  ],
);

export const BILLING_STATUSES = ['unbilled', 'reserved', 'billed'] as const;

/**
 * Logged time and running timers. A running timer is an entry with `started_at` and no
 * `ended_at` (minutes 0 until it stops); `time_entries_one_running_timer` allows one per user
 * and agency. The rate, its source and currency are frozen when the entry is logged. Billing's
 * events move `billing_status` (and `invoice_*`); `version` grows with every change of the
 * snapshot, a billing one included, and the invoice holds the version it reserved.
 */
export const timeEntries = projects.table(
  'time_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    projectId: uuid('project_id').notNull(),
    taskId: uuid('task_id'),
    userId: uuid('user_id').notNull(),
    /** The work day in the agency's timezone. */
    date: day('date').notNull(),
    minutes: integer('minutes').notNull(),
    roundedMinutes: integer('rounded_minutes').notNull(),
    startedAt: instant('started_at'),
    endedAt: instant('ended_at'),
    description: text('description'),
    isBillable: boolean('is_billable').notNull(),
    hourlyRate: amount('hourly_rate'),
    rateSource: text('rate_source', { enum: RATE_SCOPES }),
    rateCardId: uuid('rate_card_id'),
    currency: char('currency', { length: 3 }).notNull(),
    amount: amount('amount').notNull().default('0'),
    billingStatus: text('billing_status', { enum: BILLING_STATUSES }).notNull().default('unbilled'),
    invoiceId: uuid('invoice_id'),
    /** The invoice's number once issued (null while draft), so a 409 can name it. */
    invoiceNumber: text('invoice_number'),
    /** The invoice version whose event set the billing status: older invoice events are ignored. */
    invoiceVersion: bigint('invoice_version', { mode: 'number' }),
    version: integer('version').notNull().default(1),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [
    foreignKey({ name: 'time_entries_project_fk', columns: [t.projectId], foreignColumns: [projectsTable.id] }),
    foreignKey({ name: 'time_entries_task_fk', columns: [t.taskId], foreignColumns: [tasks.id] }),
    foreignKey({ name: 'time_entries_rate_card_fk', columns: [t.rateCardId], foreignColumns: [rateCards.id] }).onDelete('set null'),
    uniqueIndex('time_entries_one_running_timer').on(t.agencyId, t.userId).where(sql`started_at is not null and ended_at is null and deleted_at is null`),
    index('time_entries_agency_user_date_idx').on(t.agencyId, t.userId, t.date).where(sql`deleted_at is null`),
    index('time_entries_agency_project_date_idx').on(t.agencyId, t.projectId, t.date).where(sql`deleted_at is null`),
    index('time_entries_agency_task_idx').on(t.agencyId, t.taskId).where(sql`deleted_at is null and task_id is not null`),
    index('time_entries_agency_invoice_idx').on(t.agencyId, t.invoiceId).where(sql`invoice_id is not null`),
    check('time_entries_billing_status_check', sql`billing_status = ANY (ARRAY['unbilled'::text, 'reserved'::text, 'billed'::text])`),
    check('time_entries_rate_source_check', sql`rate_source is null or rate_source = ANY (ARRAY['agency'::text, 'member'::text, 'client'::text, 'project'::text, 'project_member'::text])`),
    check('time_entries_invoice_when_invoiced', sql`(invoice_id is null) = (billing_status = 'unbilled')`),
    // The 24-hour bound is the service's rule (it answers 400); the database keeps minutes sane.
    check('time_entries_minutes_not_negative', sql`minutes >= 0 and rounded_minutes >= 0`),
    check('time_entries_interval_order', sql`ended_at is null or (started_at is not null and ended_at > started_at)`),
    tenantPolicy(),
  ],
);

/** Per agency; a missing row means the defaults (nearest 15 minutes, Monday, billable). */
export const timeSettings = projects.table(
  'time_settings',
  {
    agencyId: agencyId().primaryKey(),
    roundingMode: text('rounding_mode', { enum: ['none', 'up', 'down', 'nearest'] }).notNull(),
    roundingMinutes: smallint('rounding_minutes').notNull(),
    weekStartsOn: smallint('week_starts_on').notNull(),
    defaultBillable: boolean('default_billable').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  () => [
    check('time_settings_rounding_mode_check', sql`rounding_mode = ANY (ARRAY['none'::text, 'up'::text, 'down'::text, 'nearest'::text])`),
    check('time_settings_rounding_minutes_check', sql`rounding_minutes in (1, 5, 6, 10, 15, 30, 60)`),
    check('time_settings_week_start_check', sql`week_starts_on in (1, 2, 3, 4, 5, 6, 7)`),
    tenantPolicy(),
  ],
);

/** Each budget threshold a project passed, once: the row is what makes the event fire only once. */
export const budgetThresholdsCrossed = projects.table(
  'budget_thresholds_crossed',
  {
    agencyId: agencyId(),
    projectId: uuid('project_id').notNull(),
    kind: text('kind', { enum: ['hours', 'money'] }).notNull(),
    threshold: smallint('threshold').notNull(),
    crossedAt: instant('crossed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'budget_thresholds_crossed_pk', columns: [t.agencyId, t.projectId, t.kind, t.threshold] }),
    foreignKey({ name: 'budget_thresholds_crossed_project_fk', columns: [t.projectId], foreignColumns: [projectsTable.id] }),
    check('budget_thresholds_kind_check', sql`kind = ANY (ARRAY['hours'::text, 'money'::text])`),
    check('budget_thresholds_threshold_check', sql`threshold in (50, 80, 100)`),
    tenantPolicy(),
  ],
);

export const INVOICE_STATES = ['draft', 'issued', 'void', 'deleted'] as const;

/**
 * The newest state of each invoice whose events moved time (billing.invoice.*), as far as
 * projects has applied it: an event of an older or equal version changes nothing, so drafts,
 * edits, issue, void and delete converge whatever order they arrive in (an entry removed from a
 * draft by a newer event is not reserved again by an older one that arrives late).
 */
export const invoiceStates = projects.table(
  'invoice_states',
  {
    /** The billing invoice id. */
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    version: bigint('version', { mode: 'number' }).notNull(),
    status: text('status', { enum: INVOICE_STATES }).notNull(),
    number: text('number'),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('invoice_states_agency_idx').on(t.agencyId, t.id),
    check('invoice_states_status_check', sql`status = ANY (ARRAY['draft'::text, 'issued'::text, 'void'::text, 'deleted'::text])`),
    tenantPolicy(),
  ],
);
