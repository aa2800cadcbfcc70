import { sql } from 'drizzle-orm';
import { bigint, customType, index, integer, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agencyId, inboxTable, jobScheduleRunsTable, jobsTable, outboxTable, tenantPolicy } from '@atelier/platform';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const identity = pgSchema('identity');

const roleEnum = identity.enum('role', ['owner', 'admin', 'manager', 'member']);
export { roleEnum };

/** The tenant itself; its id is the `agency_id` of every tenant row. */
export const agencies = identity.table('agencies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  currency: text('currency').notNull().default('EUR'),
  email: text('email'),
  phone: text('phone'),
  website: text('website'),
  address: text('address'),
  taxId: text('tax_id'),
  country: text('country'),
  logoType: text('logo_type'),
  logo: bytea('logo'),
  /** Grows with every change; `identity.agency.updated.v1` carries it. */
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One sequence for member versions, so a re-join after a removal still gets a higher version. */
export const memberVersions = identity.sequence('member_versions');

/** People, who may belong to several agencies; not tenant data. */
export const users = identity.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_idx').on(sql`lower(${t.email})`)],
);

export const memberships = identity.table(
  'memberships',
  {
    agencyId: agencyId(),
    userId: uuid('user_id').notNull().references(() => users.id),
    role: roleEnum('role').notNull(),
    version: bigint('version', { mode: 'number' })
      .notNull()
      .default(sql`nextval('identity.member_versions')`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.userId] }), index('memberships_user_idx').on(t.userId), tenantPolicy()],
);

export const sessions = identity.table(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    userId: uuid('user_id').notNull().references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Moved forward at most once a minute by resolve_session; the idle timeout counts from it. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('sessions_token_idx').on(t.tokenHash), index('sessions_agency_idx').on(t.agencyId, t.userId), tenantPolicy()],
);

export const invitations = identity.table(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    email: text('email').notNull(),
    role: roleEnum('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('invitations_token_idx').on(t.tokenHash), index('invitations_agency_idx').on(t.agencyId, t.createdAt), tenantPolicy()],
);

export const apiTokens = identity.table(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: agencyId(),
    userId: uuid('user_id').notNull().references(() => users.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_token_idx').on(t.tokenHash), index('api_tokens_agency_idx').on(t.agencyId, t.userId), tenantPolicy()],
);

/** Single-use password reset links; not tenant data (a user may belong to several agencies). */
export const passwordResets = identity.table(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull().references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('password_resets_token_idx').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)],
);

/**
 * Fixed-window counters of every rate limit (login, signup, API budget …), keyed by what is
 * limited (`login:<email>:<ip>`). One atomic upsert decides, so every gateway replica agrees.
 */
export const rateLimits = identity.table(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_expiry_idx').on(t.expiresAt)],
);

export const outbox = outboxTable(identity);
/** The kit's job runner sends identity mail from here; its housekeeping prunes outbox, inbox and jobs (identity consumes no events yet, its inbox stays empty). */
export const jobs = jobsTable(identity);
export const jobScheduleRuns = jobScheduleRunsTable(identity);
export const inbox = inboxTable(identity);
