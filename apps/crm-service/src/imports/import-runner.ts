import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Readable, pipeline } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { withTenant, type BackgroundWorker, type Db } from '@atelier/platform';
import { importFileChunks, importJobs } from '../db/schema.js';
import { csvParser, isDelimiter } from './csv-format.js';
import { recordBatches, RowSplitter, type DataRow } from './csv-rows.js';
import { writeOutboxEvents, writeRowFailures, type BatchContext, type BatchOutcome } from './import-batch.js';
import { applyClientRows } from './import-clients.js';
import { applyContactRows, PhoneCache } from './import-contacts.js';
import { mappingFromJson, type ColumnMapping } from './import-fields.js';
import type { ImportJobRow } from './import-jobs.js';

export interface ImportRunnerOptions {
  /** Rows per transaction. */
  batchSize: number;
  /** Jobs this process runs at once. */
  concurrency: number;
  /** How often a running job's heartbeat is touched. */
  heartbeatMs: number;
  /** A running job whose heartbeat is older than this lost its worker and is taken over. */
  staleAfterMs: number;
  /** How often to look for queued jobs (committed on another replica) and stale ones. */
  pollMs: number;
  /** A job claimed more often than this (its worker keeps dying) is failed instead of resumed again. */
  maxAttempts: number;
  /** Uploads not committed within this are expired. */
  uploadTtlMs: number;
  sweepEveryMs: number;
}

export const defaultRunnerOptions: ImportRunnerOptions = {
  batchSize: 2_000,
  concurrency: 2,
  heartbeatMs: 5_000,
  staleAfterMs: 30_000,
  pollMs: 5_000,
  maxAttempts: 3,
  uploadTtlMs: 24 * 60 * 60 * 1000,
  sweepEveryMs: 10 * 60 * 1000,
};

interface Claim {
  jobId: string;
  agencyId: string;
  attempts: number;
}

/** The job is no longer ours (another worker took it over after our heartbeat went stale): stop without touching it. */
class LeaseLost extends Error {
  constructor() {
    super('import job lease lost');
  }
}

// Worth retrying the same batch: a deadlock, a serialization failure, a lock timeout, or a
// uniqueness race with a concurrent API change (one primary contact per client).
const RETRYABLE = new Set(['40001', '40P01', '55P03', '23505']);
// The database or the connection went away: leave the job as it is; its heartbeat goes stale and
// a worker (this one or another replica's) resumes it from its last committed batch.
const isInfrastructure = (code: string | undefined) =>
  !!code && (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || /^(ECONN|EPIPE|ETIMEDOUT|CONNECT|CONNECTION_)/.test(code));

const errorCode = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
};
const errorMessage = (err: unknown): string => {
  const e = err as { message?: string; cause?: { message?: string } };
  return e?.cause?.message ?? e?.message ?? String(err);
};

/**
 * Runs committed CSV imports in the crm process, on every replica.
 *
 * - Claiming: `crm.import_job_claim` (security definer, SKIP LOCKED) hands out the oldest job that
 *   is queued, or running with a stale heartbeat, across agencies; everything after that runs in the
 *   job's agency transaction. The replica that accepted the commit is woken at once; the others
 *   find work by polling.
 * - Progress: the file is re-parsed from its stored chunks and applied in batches, one transaction
 *   each, which also advances `processed`/`last_row` and the counters and records the batch's row
 *   errors and events. The counters are therefore exactly the committed work.
 * - Restarts: a worker holds the job by name (`worker`) and keeps `heartbeat_at` fresh. If its
 *   process dies, the heartbeat goes stale and any replica claims the job (also right at start-up)
 *   and resumes after `last_row`. A graceful stop hands the job back as queued after the current
 *   batch. A job whose worker died `maxAttempts` times is failed, saying which rows were imported.
 *   A worker that was presumed dead cannot commit any more: each batch first checks it still holds
 *   the job, under the job row's lock.
 */
export class ImportRunner implements BackgroundWorker {
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly options: ImportRunnerOptions;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private readonly loops = new Set<Promise<void>>();
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    options: Partial<ImportRunnerOptions> = {},
  ) {
    this.options = { ...defaultRunnerOptions, ...options };
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    // Right away: jobs left behind by a crashed process are picked up on start-up.
    this.wake();
  }

  /** Looks for work now (called after a commit on this replica). */
  wake(): void {
    if (this.stopped) return;
    while (this.loops.size < this.options.concurrency) {
      const loop: Promise<void> = this.loop()
        .catch((err) => this.logger.error({ err }, 'import runner: loop failed'))
        .finally(() => this.loops.delete(loop));
      this.loops.add(loop);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.loops.size) await Promise.all([...this.loops]);
  }

  private async loop(): Promise<void> {
    await this.sweepIfDue();
    while (!this.stopped) {
      const claim = await this.claim();
      if (!claim) return;
      await this.run(claim);
    }
  }

  private async claim(): Promise<Claim | null> {
    const rows = await this.db.execute<{ job_id: string; job_agency_id: string; job_attempts: number }>(
      sql`select * from crm.import_job_claim(${this.workerId}, ${`${this.options.staleAfterMs} milliseconds`}::interval)`,
    );
    const row = rows[0];
    return row ? { jobId: row.job_id, agencyId: row.job_agency_id, attempts: row.job_attempts } : null;
  }

  private async sweepIfDue(): Promise<void> {
    if (Date.now() - this.lastSweep < this.options.sweepEveryMs) return;
    this.lastSweep = Date.now();
    try {
      await this.db.execute(sql`select crm.import_sweep(${`${this.options.uploadTtlMs} milliseconds`}::interval, interval '1 hour')`);
    } catch (err) {
      this.logger.warn({ err: errorMessage(err) }, 'import runner: sweep failed');
    }
  }

  private async run(claim: Claim): Promise<void> {
    const job = await withTenant(this.db, claim.agencyId, async (tx) => {
      const [row] = await tx.select().from(importJobs).where(eq(importJobs.id, claim.jobId));
      return row;
    });
    if (!job) return;
    const log = this.logger.child({ importJobId: job.id, agencyId: job.agencyId });
    if (claim.attempts > this.options.maxAttempts) {
      log.error({ attempts: claim.attempts - 1, processed: job.processed }, 'import runner: job interrupted too often; failing it');
      await this.finish(job, 'failed', interruptedMessage(job, claim.attempts - 1)).catch((err) => log.error({ err }, 'import runner: could not fail job'));
      return;
    }
    if (claim.attempts > 1) log.warn({ processed: job.processed, total: job.total, attempt: claim.attempts }, 'import runner: resuming an interrupted job');

    let lost = false;
    const heartbeat = setInterval(() => {
      withTenant(this.db, job.agencyId, (tx) =>
        tx
          .update(importJobs)
          .set({ heartbeatAt: sql`now()` })
          .where(and(eq(importJobs.id, job.id), eq(importJobs.worker, this.workerId)))
          .returning({ id: importJobs.id }),
      )
        .then((rows) => {
          if (rows.length === 0) lost = true;
        })
        .catch((err) => log.warn({ err: errorMessage(err) }, 'import runner: heartbeat failed'));
    }, this.options.heartbeatMs);
    heartbeat.unref();

    const progress = { processed: job.processed, lastRow: job.lastRow };
    try {
      const outcome = await this.process(job, progress, () => this.stopped || lost);
      if (outcome === 'done') {
        await this.finish(job, 'completed', null);
        log.info({ total: progress.processed }, 'import runner: job completed');
      } else if (!lost) {
        await this.release(job);
        log.info({ processed: progress.processed }, 'import runner: stopping; job handed back');
      }
    } catch (err) {
      if (err instanceof LeaseLost) {
        log.warn('import runner: another worker took the job over; stopping');
      } else if (isInfrastructure(errorCode(err))) {
        log.warn({ err: errorMessage(err) }, 'import runner: database unavailable; the job will resume when its heartbeat is stale');
      } else {
        log.error({ err }, 'import runner: job failed');
        const message =
          `The import stopped after ${progress.processed} of ${job.total} rows: ${errorMessage(err)}. ` +
          `${importedRows(progress.lastRow)}; the rows after that were not imported.`;
        await this.finish(job, 'failed', message).catch((e) => log.error({ err: e }, 'import runner: could not fail job'));
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Streams the stored file through the parser and commits it batch by batch, resuming after `lastRow`. */
  private async process(job: ImportJobRow, progress: { processed: number; lastRow: number }, shouldStop: () => boolean): Promise<'done' | 'stopped'> {
    if (!isDelimiter(job.delimiter)) throw new Error(`unsupported delimiter ${JSON.stringify(job.delimiter)}`);
    const mapping = mappingFromJson(job.columns, job.mapping ?? {});
    const parser = csvParser(job.delimiter);
    pipeline(Readable.from(this.chunks(job), { objectMode: true, highWaterMark: 1 }), parser, () => {});
    const rows = new RowSplitter();
    const phones = new PhoneCache();
    let batch: DataRow[] = [];
    try {
      for await (const records of recordBatches(parser, this.options.batchSize)) {
        for (const cells of records) {
          const row = rows.accept(cells);
          if (!row || row.row <= progress.lastRow) continue; // blank, or committed before an interruption
          batch.push(row);
          if (batch.length < this.options.batchSize) continue;
          await this.commit(job, mapping, phones, batch, progress);
          batch = [];
          if (shouldStop()) return 'stopped';
        }
      }
      if (batch.length) await this.commit(job, mapping, phones, batch, progress);
      return 'done';
    } finally {
      parser.destroy();
    }
  }

  /** The stored file, one chunk at a time (about 1 MB in memory however large the file). */
  private async *chunks(job: ImportJobRow): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const [chunk] = await withTenant(this.db, job.agencyId, (tx) =>
        tx
          .select({ data: importFileChunks.data })
          .from(importFileChunks)
          .where(and(eq(importFileChunks.jobId, job.id), eq(importFileChunks.seq, seq))),
      );
      if (!chunk) return;
      yield chunk.data;
    }
  }

  /**
   * Commits one batch: its records, row errors, events and the job's counters in one transaction.
   * A retryable conflict is retried; a row the database refuses (which validation should have
   * caught) is isolated by splitting the batch, and only that row fails.
   */
  private async commit(job: ImportJobRow, mapping: ColumnMapping, phones: PhoneCache, rows: DataRow[], progress: { processed: number; lastRow: number }, attempt = 0): Promise<void> {
    const last = rows[rows.length - 1];
    if (!last) return;
    try {
      await withTenant(this.db, job.agencyId, async (tx) => {
        // Imports of one agency run one batch at a time, so two jobs never both create the same client.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`crm.import:${job.agencyId}`}))`);
        const [current] = await tx
          .select({ worker: importJobs.worker, status: importJobs.status, now: sql<string>`to_json(date_trunc('milliseconds', now()))#>>'{}'` })
          .from(importJobs)
          .where(eq(importJobs.id, job.id))
          .for('update');
        if (!current || current.worker !== this.workerId || current.status !== 'running') throw new LeaseLost();
        const ctx: BatchContext = { tx, agencyId: job.agencyId, actorId: job.createdBy, now: new Date(current.now), phones };
        const outcome: BatchOutcome = job.entity === 'clients' ? await applyClientRows(ctx, rows, job.columns.length, mapping) : await applyContactRows(ctx, rows, job.columns.length, mapping);
        await writeOutboxEvents(tx, outcome.events);
        await writeRowFailures(tx, job.id, job.agencyId, job.columns, outcome.failures);
        await this.advance(ctx, job, rows.length, last.row, outcome);
      });
      progress.processed += rows.length;
      progress.lastRow = last.row;
    } catch (err) {
      if (err instanceof LeaseLost) throw err;
      const code = errorCode(err);
      if (code && RETRYABLE.has(code) && attempt < 3) {
        await sleep(50 * 2 ** attempt);
        return this.commit(job, mapping, phones, rows, progress, attempt + 1);
      }
      if (code && (code.startsWith('22') || code.startsWith('23'))) {
        if (rows.length > 1) {
          const half = Math.ceil(rows.length / 2);
          await this.commit(job, mapping, phones, rows.slice(0, half), progress);
          await this.commit(job, mapping, phones, rows.slice(half), progress);
          return;
        }
        return this.commitRefusedRow(job, rows[0] as DataRow, errorMessage(err), progress);
      }
      throw err;
    }
  }

  private async commitRefusedRow(job: ImportJobRow, row: DataRow, reason: string, progress: { processed: number; lastRow: number }): Promise<void> {
    await withTenant(this.db, job.agencyId, async (tx) => {
      const [current] = await tx.select({ worker: importJobs.worker }).from(importJobs).where(eq(importJobs.id, job.id)).for('update');
      if (current?.worker !== this.workerId) throw new LeaseLost();
      await writeRowFailures(tx, job.id, job.agencyId, job.columns, [{ row: row.row, message: `could not be saved: ${reason}`, cells: row.cells }]);
      await this.advance({ tx, agencyId: job.agencyId, actorId: job.createdBy, now: new Date() }, job, 1, row.row, { created: 0, updated: 0, unchanged: 0, failures: [{ row: row.row, message: reason, cells: [] }], events: [] });
    });
    progress.processed += 1;
    progress.lastRow = row.row;
  }

  private advance(ctx: BatchContext, job: ImportJobRow, count: number, lastRow: number, outcome: BatchOutcome) {
    return ctx.tx
      .update(importJobs)
      .set({
        processed: sql`${importJobs.processed} + ${count}`,
        lastRow,
        created: sql`${importJobs.created} + ${outcome.created}`,
        updated: sql`${importJobs.updated} + ${outcome.updated}`,
        unchanged: sql`${importJobs.unchanged} + ${outcome.unchanged}`,
        failed: sql`${importJobs.failed} + ${outcome.failures.length}`,
        heartbeatAt: sql`now()`,
      })
      .where(eq(importJobs.id, job.id));
  }

  /** Completes or fails the job (only while this worker holds it) and drops the stored file, which nothing reads any more. */
  private async finish(job: ImportJobRow, status: 'completed' | 'failed', error: string | null): Promise<void> {
    await withTenant(this.db, job.agencyId, async (tx) => {
      const [row] = await tx
        .update(importJobs)
        .set({
          status,
          error,
          finishedAt: sql`now()`,
          heartbeatAt: null,
          worker: null,
          ...(status === 'completed' ? { total: sql`${importJobs.processed}` } : {}),
        })
        .where(and(eq(importJobs.id, job.id), eq(importJobs.worker, this.workerId)))
        .returning({ id: importJobs.id });
      if (!row) throw new LeaseLost();
      await tx.delete(importFileChunks).where(eq(importFileChunks.jobId, job.id));
    });
  }

  /** Graceful stop: the job goes back to the queue and the next worker resumes it right away (not counted as an interruption). */
  private async release(job: ImportJobRow): Promise<void> {
    await withTenant(this.db, job.agencyId, (tx) =>
      tx
        .update(importJobs)
        .set({ status: 'queued', worker: null, heartbeatAt: null, attempts: sql`greatest(${importJobs.attempts} - 1, 0)` })
        .where(and(eq(importJobs.id, job.id), eq(importJobs.worker, this.workerId))),
    );
  }
}

const importedRows = (lastRow: number) => (lastRow > 0 ? `Rows 1–${lastRow} were imported` : 'No rows were imported');

/** What a user needs to know about a job that could not be finished: what was imported and what was not. */
export function interruptedMessage(job: Pick<ImportJobRow, 'processed' | 'total' | 'lastRow' | 'created' | 'updated' | 'failed'>, interruptions: number): string {
  return (
    `Interrupted after ${job.processed} of ${job.total} rows: the process running this import stopped ${interruptions} times. ` +
    `${importedRows(job.lastRow)} (${job.created} created, ${job.updated} updated, ${job.failed} failed); ` +
    `the remaining ${Math.max(job.total - job.processed, 0)} rows were not imported. ` +
    'Upload the file again to import them: rows already imported are matched, not duplicated.'
  );
}
