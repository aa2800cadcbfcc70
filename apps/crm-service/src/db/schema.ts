import { sql } from 'drizzle-orm';
import { bigint, boolean, char, customType, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agencyId, attachmentsTable, attachmentUsageTable, blobChunksTable, blobsTable, inboxTable, outboxTable, tenantPolicy, jobScheduleRunsTable, jobsTable } from '@atelier/platform';

export const crm = pgSchema('crm');

export const outbox = outboxTable(crm);
export const inbox = inboxTable(crm);
export const jobs = jobsTable(crm);
export const jobScheduleRuns = jobScheduleRunsTable(crm);
export const blobs = blobsTable(crm);
export const blobChunks = blobChunksTable(crm);
/** Files attached to clients (kit table; the blobs hold their bytes). */
export const attachments = attachmentsTable(crm);
/** What the agency's attachments take here and, replicated from their events, in the other owning services (one quota). */
export const attachmentUsage = attachmentUsageTable(crm);

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
    /** What search matches: name (first, for prefix ranking), email and phone; see crm.search_text (migration "search_keys"). */
    searchKey: text('search_key').generatedAlwaysAs(
      sql`crm.search_text(name) || ' ' || coalesce(crm.search_text(email), '') || ' ' || coalesce(crm.search_text(phone), '')`,
    ),
  },
  (t) => [
    index('clients_agency_name_idx').on(t.agencyId, t.name, t.id).where(sql`deleted_at is null`),
    index('clients_agency_created_idx').on(t.agencyId, t.createdAt, t.id).where(sql`deleted_at is null`),
    index('clients_agency_updated_idx').on(t.agencyId, t.updatedAt, t.id).where(sql`deleted_at is null`),
    index('clients_agency_email_idx').on(t.agencyId, t.email),
    // Trigrams hashed with the agency (crm.search_grams): a term reads one agency's entries only.
    index('clients_search_grams_idx').using('gin', sql`crm.search_grams(${t.agencyId}, ${t.searchKey})`).where(sql`deleted_at is null`),
    // Names starting with a term, in order, for the search box (COLLATE "C": LIKE 'acm%' is a
    // range); with name and id, a term too short for trigrams is tested here, without the table.
    index('clients_agency_search_key_idx').on(t.agencyId, sql`${t.searchKey} collate "C"`, t.name, t.id).where(sql`deleted_at is null`),
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
    /** The headline without the actor ("Note added to ACME Corp"); the API adds "by …" from the member replica. */
    title: text('title').notNull(),
    /** Quoted text after the headline (a note's first words), if any. */
    quote: text('quote'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    actorId: uuid('actor_id'),
    entityKind: text('entity_kind').notNull(),
    entityId: uuid('entity_id').notNull(),
    /** When the consumer wrote it: `recorded_at - occurred_at` is the event's end-to-end latency. */
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Bulk work (an import): how many entities of the client the one entry stands for, summed over the work's events. */
    itemCount: integer('item_count'),
  },
  (t) => [
    index('timeline_agency_occurred_idx').on(t.agencyId, t.occurredAt.desc(), t.id.desc()),
    index('timeline_agency_client_idx').on(t.agencyId, t.clientId, t.occurredAt.desc(), t.id.desc()),
    // One entry per client per bulk work (entity = the import job): its events add to it.
    uniqueIndex('timeline_bulk_client_idx').on(t.clientId, t.entityId).where(sql`item_count is not null`),
    tenantPolicy(),
  ],
);

/**
 * The agency's members by name, a replica of the gateway's `identity.member.*` events (kit
 * replica consumer: newest version wins), so the timeline says who did what ("by Marta"). A
 * removed member keeps the name: old entries still say who it was. `id` is derived from agency and
 * user (a person can be a member of several agencies; the kit keys replicas by one id).
 */
export const memberNames = crm.table(
  'member_names',
  {
    id: uuid('id').primaryKey(),
    agencyId: agencyId(),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    removed: boolean('removed').notNull().default(false),
  },
  (t) => [uniqueIndex('member_names_agency_user_idx').on(t.agencyId, t.userId), tenantPolicy()],
);

export const contacts = crm.table(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    clientId: uuid('client_id').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    email: text('email'),
    phone: text('phone'),
    phoneE164: text('phone_e164'),
    title: text('title'),
    isPrimary: boolean('is_primary').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
    /** Grows with every change of the contact, its deletion included; its events carry it (events.md › Snapshots with versions). */
    version: integer('version').notNull().default(1),
    /** Name first, then email, phone and title. */
    searchKey: text('search_key').generatedAlwaysAs(
      sql`crm.search_text(coalesce(first_name, '') || coalesce(last_name, '')) || ' ' || coalesce(crm.search_text(email), '') || ' ' || coalesce(crm.search_text(phone), '') || ' ' || coalesce(crm.search_text(title), '')`,
    ),
  },
  (t) => [
    index('contacts_agency_client_idx').on(t.agencyId, t.clientId).where(sql`deleted_at is null`),
    index('contacts_agency_name_idx').on(t.agencyId, t.lastName, t.firstName, t.id).where(sql`deleted_at is null`),
    index('contacts_agency_email_idx').on(t.agencyId, t.email),
    // The database, not the code, guarantees one primary contact per client.
    uniqueIndex('contacts_one_primary_idx').on(t.clientId).where(sql`is_primary and deleted_at is null`),
    index('contacts_search_grams_idx').using('gin', sql`crm.search_grams(${t.agencyId}, ${t.searchKey})`).where(sql`deleted_at is null`),
    tenantPolicy(),
  ],
);

export const notes = crm.table(
  'notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    clientId: uuid('client_id').notNull(),
    body: text('body').notNull(),
    isPinned: boolean('is_pinned').notNull().default(false),
    authorId: uuid('author_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
    /** Grows with every change of the note, its deletion included; its events carry it. */
    version: integer('version').notNull().default(1),
  },
  (t) => [index('notes_agency_client_idx').on(t.agencyId, t.clientId, t.isPinned, t.createdAt).where(sql`deleted_at is null`), tenantPolicy()],
);

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A CSV import: uploaded, previewed, then committed as a background job whose progress is persisted. */
export const importJobs = crm.table(
  'import_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    entity: text('entity', { enum: ['clients', 'contacts'] }).notNull(),
    status: text('status', { enum: ['uploaded', 'queued', 'running', 'completed', 'failed'] }).notNull().default('uploaded'),
    fileName: text('file_name'),
    fileSize: bigint('file_size', { mode: 'number' }).notNull().default(0),
    delimiter: text('delimiter').notNull(),
    /** The uploaded file began with a UTF-8 byte order mark: its errors.csv does too. */
    fileBom: boolean('file_bom').notNull().default(false),
    columns: jsonb('columns').$type<string[]>().notNull(),
    mapping: jsonb('mapping').$type<Record<string, string>>(),
    total: integer('total').notNull().default(0),
    processed: integer('processed').notNull().default(0),
    /** Number of the last data row a committed batch covered: a resumed job continues after it. */
    lastRow: integer('last_row').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    /** Rows that matched an existing record and changed nothing. */
    unchanged: integer('unchanged').notNull().default(0),
    error: text('error'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('import_jobs_agency_idx').on(t.agencyId, t.createdAt), index('import_jobs_status_idx').on(t.status), tenantPolicy()],
);

/** The uploaded file, in order, so any replica can run the job after a restart. */
export const importFileChunks = crm.table(
  'import_file_chunks',
  {
    jobId: uuid('job_id').notNull(),
    seq: integer('seq').notNull(),
    agencyId: agencyId(),
    data: bytea('data').notNull(),
    /** Lets the sweeper remove chunks of an upload whose process died before it created the job. */
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] }), index('import_file_chunks_agency_idx').on(t.agencyId, t.jobId), tenantPolicy()],
);

/** Rows that failed validation or could not be applied, with their original values. */
export const importRowErrors = crm.table(
  'import_row_errors',
  {
    jobId: uuid('job_id').notNull(),
    row: integer('row').notNull(),
    agencyId: agencyId(),
    message: text('message').notNull(),
    values: jsonb('values').$type<Record<string, string>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.row] }), index('import_row_errors_agency_idx').on(t.agencyId, t.jobId), tenantPolicy()],
);
