import type { z } from 'zod';
import type { TenantTx } from '../db/tenant-tx.js';
import type { Cadence } from './cadence.js';
import type { Backoff } from './retry-delay.js';

/** What a handler knows about the job it runs. */
export interface JobInfo<P = unknown> {
  id: string;
  name: string;
  /** Null for a system job (a schedule's); otherwise the handler runs in this agency's RLS context. */
  agencyId: string | null;
  payload: P;
  /** 1 on the first run; a run after a crash or a failure counts too. */
  attempt: number;
  maxAttempts: number;
}

/** A long job's handle: its transactions check the lease first, and it learns when to hand the job back. */
export interface RunningJob<P = unknown> extends JobInfo<P> {
  /**
   * A transaction in the job's context (pinned to its agency, if it has one) that first checks
   * this worker still holds the job and locks the job row until commit: a worker presumed dead,
   * whose job another runner claimed, can commit nothing more (it gets `JobLeaseLost`).
   */
  transaction<T>(fn: (tx: TenantTx) => Promise<T>): Promise<T>;
  /** True once the runner stops (the service shuts down) or the lease was lost: finish the step in hand and return `'stopped'`. */
  readonly stopping: boolean;
}

/** How a job ended in `failed`: its own error on its last attempt, or its worker died on the last one. */
export interface JobFailure {
  error: string;
  interrupted: boolean;
}

interface JobOptions<P> {
  name: string;
  /** Parses the stored payload; a payload that does not parse fails the job at once (it would never get better). */
  payload?: z.ZodType<P>;
  /** Attempts before the job is failed (default 5). */
  maxAttempts?: number;
  backoff?: Partial<Backoff>;
  /** Runs in the job's context, in the same transaction that marks it failed: record the failure on the domain's own rows. */
  failed?(tx: TenantTx, job: JobInfo<P>, failure: JobFailure): Promise<void>;
}

/**
 * A job done in one transaction (pinned to the job's agency, if any) that also marks it
 * completed: its effects commit exactly once, or not at all and the job is retried.
 */
export interface TransactionJob<P = unknown> extends JobOptions<P> {
  run(tx: TenantTx, job: JobInfo<P>): Promise<void>;
}

/** A job too long for one transaction (an import): it commits step by step through `job.transaction` and keeps its own progress. */
export interface LongJob<P = unknown> extends JobOptions<P> {
  work(job: RunningJob<P>): Promise<'stopped' | void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobDefinition<P = any> = TransactionJob<P> | LongJob<P>;

/** A recurring system job: fired once per slot of its cadence across every replica of the service. */
export interface ScheduleDefinition {
  name: string;
  cadence: Cadence;
  maxAttempts?: number;
  backoff?: Partial<Backoff>;
  /** One system transaction (no agency); `slot` is the instant the run is for, not when it runs. */
  run(tx: TenantTx, slot: Date): Promise<void>;
}

export const scheduleJobName = (schedule: string) => `schedule:${schedule}`;

export class JobLeaseLost extends Error {
  constructor(jobId: string) {
    super(`job ${jobId}: lease lost (another runner claimed it)`);
    this.name = 'JobLeaseLost';
  }
}

/** Thrown by a handler for an error that another attempt cannot fix: the job is failed at once, without retries. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
