import { sql } from 'drizzle-orm';
import { index, integer, jsonb, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import { tenantPolicy } from '../db/tenant-table.js';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * The job queue of a service (`<schema>.jobs`), run by the kit's `JobRunner`. A job of an agency
 * carries its `agency_id` and is visible to the service role only inside that agency's
 * transaction, like every tenant row; a system job (a schedule's) has none and is reached only
 * through the runner's security-definer functions.
 */
export const jobsTable = (schema: PgSchema<string>) =>
  schema.table(
    'jobs',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      /** Null for system jobs (fired by a schedule); the runner then opens no tenant context. */
      agencyId: uuid('agency_id'),
      name: text('name').notNull(),
      payload: jsonb('payload').notNull().default({}),
      status: text('status', { enum: JOB_STATUSES }).notNull().default('queued'),
      /** Not before this instant: the enqueue time, or the back-off after a failed attempt. */
      runAt: ts('run_at').notNull().defaultNow(),
      /** Runs started, including one whose worker died; a job past `max_attempts` is failed. */
      attempts: integer('attempts').notNull().default(0),
      maxAttempts: integer('max_attempts').notNull().default(5),
      /** The worker holding the lease while the job runs. */
      lockedBy: text('locked_by'),
      /** The lease: kept ahead by the worker's heartbeat; once past, any runner may claim the job again. */
      lockedUntil: ts('locked_until'),
      lastError: text('last_error'),
      createdAt: ts('created_at').notNull().defaultNow(),
      startedAt: ts('started_at'),
      finishedAt: ts('finished_at'),
    },
    (t) => [
      index('jobs_agency_idx').on(t.agencyId, t.createdAt),
      index('jobs_due_idx').on(t.runAt).where(sql`status = 'queued'`),
      index('jobs_lease_idx').on(t.lockedUntil).where(sql`status = 'running'`),
      index('jobs_finished_idx').on(t.finishedAt).where(sql`status in ('completed', 'failed')`),
      tenantPolicy(),
    ],
  );

/**
 * One row per schedule slot that fired: the primary key is what makes a slot fire once however
 * many replicas tick. Written only by the definer function that also enqueues the slot's job,
 * so the service role needs no rights on it beyond the defaults.
 */
export const jobScheduleRunsTable = (schema: PgSchema<string>) =>
  schema.table(
    'job_schedule_runs',
    {
      schedule: text('schedule').notNull(),
      slot: ts('slot').notNull(),
      jobId: uuid('job_id').notNull(),
      firedAt: ts('fired_at').notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.schedule, t.slot] }), index('job_schedule_runs_fired_idx').on(t.firedAt)],
  );

export type JobsTable = ReturnType<typeof jobsTable>;
