import { sql } from 'drizzle-orm';
import { bigint, index, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agencyId, tenantPolicy } from '@atelier/platform';

export const identity = pgSchema('identity');

const roleEnum = identity.enum('role', ['owner', 'admin', 'manager', 'member']);
export { roleEnum };

/** The tenant itself; its id is the `agency_id` of every tenant row. */
export const agencies = identity.table('agencies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
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
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_token_idx').on(t.tokenHash), index('api_tokens_agency_idx').on(t.agencyId, t.userId), tenantPolicy()],
);

/** Failed logins per email and address, for throttling; not tenant data (the agency is unknown yet). */
export const loginFailures = identity.table(
  'login_failures',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_failures_lookup_idx').on(t.email, t.ip, t.at)],
);
