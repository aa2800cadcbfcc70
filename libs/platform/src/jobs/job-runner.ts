import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../db/database.js';
import { tenantTx, type TenantTx } from '../db/tenant-tx.js';
import { assertCadence, latestSlot } from './cadence.js';
import {
  JobLeaseLost,
  PermanentJobError,
  scheduleJobName,
  type JobDefinition,
  type JobFailure,
  type JobInfo,
  type RunningJob,
  type ScheduleDefinition,
} from './job-definitions.js';
import { DEFAULT_BACKOFF, retryDelayMs } from './retry-delay.js';

export interface JobRunnerOptions {
  /** Jobs this process runs at once. */
  concurrency: number;
  /** How often to look for due jobs (other replicas' jobs, back-offs that ran out, expired leases). */
  pollMs: number;
  /** How long a claim holds without a heartbeat; a worker silent for this long is presumed dead. */
  leaseMs: number;
  /** How often a running job's lease is extended (well inside `leaseMs`). */
  heartbeatMs: number;
  /** How often schedules are checked for a slot that is due. */
  scheduleTickMs: number;
  /** The clock schedules fire by (tests drive it; leases and back-off use the database's clock). */
  now: () => Date;
}

export const defaultJobRunnerOptions: JobRunnerOptions = {
  concurrency: 2,
  pollMs: 1_000,
  leaseMs: 30_000,
  heartbeatMs: 10_000,
  scheduleTickMs: 1_000,
  now: () => new Date(),
};

export interface JobToEnqueue {
  name: string;
  /** The job's agency: it must be the agency the transaction is pinned to (RLS checks it). */
  agencyId: string;
  payload?: unknown;
  /** An id of the caller's (the import's own id, say), so enqueueing twice cannot queue two jobs. */
  id?: string;
  runAt?: Date;
}

type ClaimedRow = {
  id: string;
  agency_id: string | null;
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
};

interface Active {
  info: JobInfo;
  stopping: boolean;
  heartbeat: Promise<void> | null;
}

const interval = (ms: number) => sql`${`${Math.max(Math.round(ms), 0)} milliseconds`}::interval`;
const messageOf = (err: unknown): string => {
  const e = err as { message?: unknown; cause?: { message?: unknown } };
  const msg = e?.cause?.message ?? e?.message;
  return typeof msg === 'string' ? msg : String(err);
};

/**
 * The kit's job runner, on the service's own `jobs` table (see `job-tables.ts`, and the
 * security-definer functions in `tools/dev/src/job-functions-sql.ts`).
 *
 * - **Claim:** `job_claim` takes due jobs with `FOR UPDATE SKIP LOCKED`, so replicas never take the
 *   same job; each claim sets a lease (`locked_until`) and counts an attempt.
 * - **Lease:** a heartbeat extends it while the handler runs. A worker that dies stops
 *   heartbeating; once the lease is past, any runner claims the job again — that is how a crashed
 *   job resumes. Every job transaction first re-checks the lease under the job row's lock, so a
 *   worker presumed dead cannot commit after its job was taken over.
 * - **Failure:** an error re-queues the job after exponential back-off; on the last attempt (or when
 *   its worker died on the last one) it ends `failed` with the error, and the definition's
 *   `failed` hook records it on the domain's rows in the same transaction.
 * - **Tenancy:** an agency's job runs in `tenantTx(agency)`, so it sees only that agency's rows.
 * - **Schedules** fire each slot once across replicas: `job_schedule_fire` inserts the
 *   (schedule, slot) row and the slot's job in one statement, and the primary key refuses a
 *   second replica's copy.
 */
export class JobRunner {
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  options: JobRunnerOptions;
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly schedules = new Map<string, ScheduleDefinition>();
  private readonly lastSlot = new Map<string, number>();
  private readonly active = new Map<string, Active>();
  private readonly running = new Set<Promise<void>>();
  private readonly fn: (name: string) => SQL;
  private stopped = true;
  private claiming: Promise<void> | null = null;
  private rewake = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly db: Db,
    readonly schema: string,
    private readonly logger: Logger,
    options: Partial<JobRunnerOptions> = {},
  ) {
    this.options = { ...defaultJobRunnerOptions, ...options };
    this.fn = (name) => sql.raw(`"${schema}".${name}`);
  }

  /** Changes options before `start` (a service's definition may tune its runner). */
  configure(options: Partial<JobRunnerOptions>): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  /** Adds job handlers; a replica claims only jobs it has a handler for. */
  register(...definitions: JobDefinition[]): this {
    for (const d of definitions) {
      if (this.jobs.has(d.name)) throw new Error(`job ${d.name} is registered twice`);
      this.jobs.set(d.name, d);
    }
    return this;
  }

  /** Adds recurring schedules (and the system job each one fires). */
  schedule(...definitions: ScheduleDefinition[]): this {
    for (const s of definitions) {
      assertCadence(s.cadence);
      if (this.schedules.has(s.name)) throw new Error(`schedule ${s.name} is registered twice`);
      this.schedules.set(s.name, s);
      this.register({
        name: scheduleJobName(s.name),
        maxAttempts: s.maxAttempts ?? 3,
        backoff: s.backoff,
        run: (tx, job) => s.run(tx, new Date((job.payload as { slot: string }).slot)),
      });
    }
    return this;
  }

  /**
   * Queues a job in the caller's transaction (pinned to `job.agencyId`), so it exists exactly when
   * the change that asked for it commits. Call `wake()` after the commit to start it here at once;
   * otherwise a runner finds it within `pollMs`.
   */
  async enqueue(tx: Tx, job: JobToEnqueue): Promise<string> {
    const definition = this.jobs.get(job.name);
    if (!definition) throw new Error(`no job handler named ${job.name}`);
    const id = job.id ?? randomUUID();
    await tx.execute(sql`
      insert into ${sql.identifier(this.schema)}.jobs (id, agency_id, name, payload, run_at, max_attempts)
      values (${id}, ${job.agencyId}, ${job.name}, ${JSON.stringify(job.payload ?? {})}::jsonb, ${(job.runAt ?? new Date()).toISOString()}::timestamptz, ${definition.maxAttempts ?? 5})
      on conflict (id) do nothing`);
    return id;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.options.pollMs, () => this.wake());
    every(this.options.heartbeatMs, () => this.heartbeat());
    if (this.schedules.size) {
      every(this.options.scheduleTickMs, () => void this.tickSchedules().catch((err) => this.logger.warn({ err: messageOf(err) }, 'jobs: schedule tick failed')));
      void this.tickSchedules().catch((err) => this.logger.warn({ err: messageOf(err) }, 'jobs: schedule tick failed'));
    }
    // Right away: jobs whose worker died while this process was down are taken over on start-up.
    this.wake();
  }

  /** Graceful stop: long jobs are asked to hand back after their current step; waits until nothing runs. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const a of this.active.values()) a.stopping = true;
    while (this.claiming || this.running.size) {
      await Promise.all([this.claiming, ...this.running]);
    }
  }

  /** Looks for due jobs now, up to the free concurrency. */
  wake(): void {
    if (this.stopped || !this.jobs.size) return;
    if (this.claiming) {
      this.rewake = true;
      return;
    }
    const free = this.options.concurrency - this.active.size;
    if (free <= 0) return;
    this.claiming = this.claim(free)
      .catch((err) => this.logger.warn({ err: messageOf(err) }, 'jobs: claim failed'))
      .finally(() => {
        this.claiming = null;
        if (this.rewake) {
          this.rewake = false;
          this.wake();
        }
      });
  }

  /**
   * Fires every schedule whose latest slot (by the runner's clock) has not fired yet, and returns
   * the slots this replica fired. Runs by itself on a timer; tests call it with a driven clock.
   */
  async tickSchedules(): Promise<{ schedule: string; slot: Date }[]> {
    const now = this.options.now();
    const fired: { schedule: string; slot: Date }[] = [];
    for (const s of this.schedules.values()) {
      const slot = latestSlot(s.cadence, now);
      if (this.lastSlot.get(s.name) === slot.getTime()) continue;
      const [row] = await this.db.execute<{ job_id: string | null }>(
        sql`select ${this.fn('job_schedule_fire')}(${s.name}, ${slot.toISOString()}::timestamptz, ${scheduleJobName(s.name)}, ${JSON.stringify({ slot: slot.toISOString() })}::jsonb, ${s.maxAttempts ?? 3}) as job_id`,
      );
      this.lastSlot.set(s.name, slot.getTime());
      if (row?.job_id) fired.push({ schedule: s.name, slot });
    }
    if (fired.length) this.wake();
    return fired;
  }

  private async claim(limit: number): Promise<void> {
    const rows = await this.db.execute<ClaimedRow>(
      sql`select id, agency_id, name, payload, attempts, max_attempts from ${this.fn('job_claim')}(${this.workerId}, ${sql.param([...this.jobs.keys()])}::text[], ${interval(this.options.leaseMs)}, ${limit})`,
    );
    for (const row of rows) {
      const info: JobInfo = { id: row.id, name: row.name, agencyId: row.agency_id, payload: row.payload, attempt: row.attempts, maxAttempts: row.max_attempts };
      const active: Active = { info, stopping: this.stopped, heartbeat: null };
      this.active.set(info.id, active);
      const run: Promise<void> = this.execute(active)
        .catch((err) => this.logger.error({ err, jobId: info.id, job: info.name }, 'jobs: could not settle job'))
        .finally(() => {
          this.active.delete(info.id);
          this.running.delete(run);
          this.wake();
        });
      this.running.add(run);
    }
    // A full batch means more may be due: look again as soon as a slot is free.
    if (rows.length === limit) this.rewake = true;
  }

  private async execute(active: Active): Promise<void> {
    const { info } = active;
    const definition = this.jobs.get(info.name);
    if (!definition) return; // only names we registered are claimed
    const log = this.logger.child({ jobId: info.id, job: info.name, agencyId: info.agencyId ?? undefined });
    if (info.attempt > info.maxAttempts) {
      // The previous run was the last attempt and its worker died (the lease expired).
      const error = `interrupted: the worker running this job stopped on each of its ${info.maxAttempts} attempts`;
      log.error('jobs: job interrupted too often; failing it');
      return this.fail(definition, { ...info, attempt: info.maxAttempts }, { error, interrupted: true });
    }
    if (info.attempt > 1) log.info({ attempt: info.attempt }, 'jobs: running again');

    let job: JobInfo;
    try {
      job = { ...info, payload: definition.payload ? definition.payload.parse(info.payload) : info.payload };
    } catch (err) {
      return this.fail(definition, info, { error: `invalid payload: ${messageOf(err)}`, interrupted: false });
    }

    try {
      if ('run' in definition) {
        await this.inJobContext(job, async (tx) => {
          await definition.run(tx, job);
          const [done] = await tx.execute<{ ok: boolean }>(sql`select ${this.fn('job_complete')}(${job.id}, ${this.workerId}) as ok`);
          if (!done?.ok) throw new JobLeaseLost(job.id);
        });
        return;
      }
      const running: RunningJob = {
        ...job,
        transaction: (fn) => this.inJobContext(job, fn),
        get stopping() {
          return active.stopping;
        },
      };
      const outcome = await definition.work(running);
      if (outcome === 'stopped') {
        await this.settle('job_release', job.id);
        log.info('jobs: stopping; job handed back');
      } else {
        await this.settle('job_complete', job.id);
      }
    } catch (err) {
      if (err instanceof JobLeaseLost) {
        log.warn('jobs: another runner took the job over; leaving it to them');
        return;
      }
      const error = messageOf(err);
      if (job.attempt < job.maxAttempts && !(err instanceof PermanentJobError)) {
        const delay = retryDelayMs(job.attempt, { ...DEFAULT_BACKOFF, ...definition.backoff });
        log.warn({ err: error, attempt: job.attempt, retryInMs: delay }, 'jobs: attempt failed; will retry');
        await this.db.execute(sql`select ${this.fn('job_retry')}(${job.id}, ${this.workerId}, ${error}, ${interval(delay)})`);
      } else {
        log.error({ err, attempt: job.attempt }, 'jobs: job failed');
        await this.fail(definition, job, { error, interrupted: false });
      }
    }
  }

  /** The job's transaction: pinned to its agency (if any), and only while this worker still holds the lease. */
  private inJobContext<T>(job: JobInfo, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    // A system job (no agency) gets an unpinned transaction: it sees no tenant rows at all.
    return tenantTx(this.db, job.agencyId, async (tx) => {
      const held = await tx.execute(sql`select ${this.fn('job_heartbeat')}(${this.workerId}, ${sql.param([job.id])}::uuid[], ${interval(this.options.leaseMs)})`);
      if (held.length === 0) throw new JobLeaseLost(job.id);
      return fn(tx);
    });
  }

  private async settle(fn: 'job_complete' | 'job_release', id: string): Promise<void> {
    const [row] = await this.db.execute<{ ok: boolean }>(sql`select ${this.fn(fn)}(${id}, ${this.workerId}) as ok`);
    if (!row?.ok) throw new JobLeaseLost(id);
  }

  private async fail(definition: JobDefinition, job: JobInfo, failure: JobFailure): Promise<void> {
    await this.inJobContext(job, async (tx) => {
      await definition.failed?.(tx, job, failure);
      await tx.execute(sql`select ${this.fn('job_fail')}(${job.id}, ${this.workerId}, ${failure.error})`);
    });
  }

  /** Extends the lease of every job running here; a job whose lease another runner took is told to stop. */
  private heartbeat(): void {
    for (const [id, active] of this.active) {
      if (active.heartbeat) continue;
      active.heartbeat = this.db
        .execute(sql`select ${this.fn('job_heartbeat')}(${this.workerId}, ${sql.param([id])}::uuid[], ${interval(this.options.leaseMs)})`)
        .then((rows) => {
          if (rows.length === 0) active.stopping = true;
        })
        .catch((err) => this.logger.warn({ err: messageOf(err), jobId: id }, 'jobs: heartbeat failed'))
        .finally(() => {
          active.heartbeat = null;
        });
    }
  }
}
