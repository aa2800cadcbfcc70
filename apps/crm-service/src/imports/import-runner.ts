import { Readable, pipeline } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import {
  everyMinutes,
  isConnectionCode,
  JobLeaseLost,
  PermanentJobError,
  type JobFailure,
  type JobInfo,
  type JobRunner,
  type LongJob,
  type RunningJob,
  type ScheduleDefinition,
  type TenantTx,
  type Tx,
} from '@atelier/platform';
import { importFileChunks, importJobs } from '../db/schema.js';
import { csvParser, isDelimiter } from './csv-format.js';
import { recordBatches, RowSplitter, type DataRow } from './csv-rows.js';
import { PhoneCache } from '../contacts/contact-phone.js';
import { PhoneWorker } from '../contacts/contact-phone-worker.js';
import { writeRowFailures, type BatchContext, type BatchOutcome } from './import-batch.js';
import { cell, mappingFromJson, type ColumnMapping } from './import-fields.js';
import type { ImportJobRow } from './import-mapper.js';
import { applyImportBatch } from './import-service.js';

export interface ImportRunnerOptions {
  /** Rows per transaction. */
  batchSize: number;
  /** Runs of one import before it is failed: each crash of its worker, or infrastructure error, is one. */
  maxAttempts: number;
  /** Uploads not committed within this are expired. */
  uploadTtlMs: number;
  /** How often the expiry sweep runs. */
  sweepEveryMinutes: number;
}

export const defaultRunnerOptions: ImportRunnerOptions = {
  batchSize: 2_000,
  maxAttempts: 3,
  uploadTtlMs: 24 * 60 * 60 * 1000,
  sweepEveryMinutes: 10,
};

/** The kit job that runs a committed import; its id is the import's id. */
export const IMPORT_JOB = 'crm.import';

// Worth retrying the same batch: a deadlock, a serialization failure, a lock timeout, or a
// uniqueness race with a concurrent API change (one primary contact per client).
const RETRYABLE = new Set(['40001', '40P01', '55P03', '23505']);
// The database or the connection went away: the kit retries the job after a back-off, and it
// resumes from its last committed batch.
const isInfrastructure = (code: string | undefined) =>
  !!code && (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || isConnectionCode(code));

const errorCode = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
};
const errorMessage = (err: unknown): string => {
  const e = err as { message?: string; cause?: { message?: string } };
  return e?.cause?.message ?? e?.message ?? String(err);
};

type Progress = { processed: number; lastRow: number };

/**
 * Runs committed CSV imports as jobs of the kit's runner, on every crm replica.
 *
 * - Queueing: the commit request enqueues the job (id = the import's id) in its own transaction.
 *   Claiming, leases, heartbeats and the takeover of a job whose worker died are the kit's; every
 *   transaction here goes through `job.transaction`, so a worker presumed dead commits nothing more.
 * - Progress: the file is re-parsed from its stored chunks and applied in batches, one transaction
 *   each, which also advances `processed`/`last_row` and the counters and records the batch's row
 *   errors and events. The counters are therefore exactly the committed work, and a run after a
 *   crash continues after `last_row`.
 * - A graceful stop hands the job back after the current batch (not counted as an attempt). A job
 *   whose worker died `maxAttempts` times is failed, saying which rows were imported; so is one that
 *   hits an error no retry can fix.
 */
export class ImportJobs {
  readonly options: ImportRunnerOptions;

  constructor(
    private readonly jobs: JobRunner,
    private readonly logger: Logger,
    options: Partial<ImportRunnerOptions> = {},
  ) {
    this.options = { ...defaultRunnerOptions, ...options };
  }

  /** Queues a committed import in the commit's transaction. */
  queue(tx: Tx, job: Pick<ImportJobRow, 'id' | 'agencyId'>): Promise<string> {
    return this.jobs.enqueue(tx, { name: IMPORT_JOB, id: job.id, agencyId: job.agencyId });
  }

  /** After the commit: start it on this replica now, rather than at the next poll. */
  wake(): void {
    this.jobs.wake();
  }

  get definition(): LongJob {
    return {
      name: IMPORT_JOB,
      maxAttempts: this.options.maxAttempts,
      work: (job) => this.work(job),
      failed: (tx, job, failure) => this.failed(tx, job, failure),
    };
  }

  /** Housekeeping: uploads never committed expire, and file chunks nothing can read any more go. */
  get sweep(): ScheduleDefinition {
    return {
      name: 'crm.import-sweep',
      cadence: everyMinutes(this.options.sweepEveryMinutes),
      run: async (tx) => {
        await tx.execute(sql`select crm.import_sweep(${`${this.options.uploadTtlMs} milliseconds`}::interval, interval '1 hour')`);
      },
    };
  }

  private async work(run: RunningJob): Promise<'stopped' | void> {
    const job = await run.transaction(async (tx) => {
      const [row] = await tx
        .update(importJobs)
        .set({ status: 'running', startedAt: sql`coalesce(${importJobs.startedAt}, now())` })
        .where(and(eq(importJobs.id, run.id), sql`${importJobs.status} in ('queued', 'running')`))
        .returning();
      return row;
    });
    if (!job) return; // finished before a crash lost the job's completion, or no longer there
    const log = this.logger.child({ importJobId: job.id, agencyId: job.agencyId });
    if (run.attempt > 1) log.warn({ processed: job.processed, total: job.total, attempt: run.attempt }, 'import: resuming an interrupted job');

    const progress: Progress = { processed: job.processed, lastRow: job.lastRow };
    try {
      const outcome = await this.process(run, job, progress);
      if (outcome === 'stopped') {
        await run.transaction((tx) => tx.update(importJobs).set({ status: 'queued' }).where(eq(importJobs.id, job.id)));
        log.info({ processed: progress.processed }, 'import: stopping; job handed back');
        return 'stopped';
      }
      await run.transaction((tx) => this.finish(tx, job.id, 'completed', null));
      log.info({ total: progress.processed }, 'import: job completed');
    } catch (err) {
      if (err instanceof JobLeaseLost || isInfrastructure(errorCode(err))) throw err;
      throw new PermanentJobError(errorMessage(err), { cause: err });
    }
  }

  /** The job ended failed (its error, or its workers died too often): say on the import what was and was not imported. */
  private async failed(tx: TenantTx, run: JobInfo, failure: JobFailure): Promise<void> {
    const [job] = await tx.select().from(importJobs).where(eq(importJobs.id, run.id));
    if (!job || job.status === 'completed' || job.status === 'failed') return;
    const message = failure.interrupted
      ? interruptedMessage(job, run.maxAttempts)
      : `The import stopped after ${job.processed} of ${job.total} rows: ${failure.error}. ${importedRows(job.lastRow)}; the rows after that were not imported.`;
    await this.finish(tx, job.id, 'failed', message);
  }

  /**
   * Streams the stored file through the parser and commits it batch by batch, resuming after
   * `lastRow`. One batch is read ahead: while a batch is in the database, the next one is parsed
   * and its phone numbers are worked out on the phone worker, so the job's thread, the worker and
   * the database work side by side. Batches still commit one after another, in file order.
   */
  private async process(run: RunningJob, job: ImportJobRow, progress: Progress): Promise<'done' | 'stopped'> {
    if (!isDelimiter(job.delimiter)) throw new Error(`unsupported delimiter ${JSON.stringify(job.delimiter)}`);
    const mapping = mappingFromJson(job.columns, job.mapping ?? {});
    const parser = csvParser(job.delimiter);
    pipeline(Readable.from(this.chunks(run, job), { objectMode: true, highWaterMark: 1 }), parser, () => {});
    const rows = new RowSplitter();
    const phones = new PhoneCache();
    const worker = job.entity === 'contacts' && mapping.has('phone') ? new PhoneWorker() : null;
    const { batchSize } = this.options;
    let batch: DataRow[] = [];
    // The batch in the database; handled at once, so a failure waits for the await below.
    let inFlight: Promise<void> | null = null;
    const submit = async (ready: DataRow[]): Promise<boolean> => {
      const warmed = worker ? worker.fill(phones, phoneItems(ready, mapping, phones)) : null;
      if (inFlight) await inFlight;
      if (run.stopping) return false;
      await warmed;
      inFlight = this.commit(run, job, mapping, phones, ready, progress);
      inFlight.catch(() => {});
      return true;
    };
    try {
      for await (const records of recordBatches(parser, batchSize)) {
        for (const cells of records) {
          const row = rows.accept(cells);
          if (!row || row.row <= progress.lastRow) continue; // blank, or committed before an interruption
          batch.push(row);
          if (batch.length < batchSize) continue;
          const ready = batch;
          batch = [];
          if (!(await submit(ready))) return 'stopped';
        }
      }
      if (batch.length && !(await submit(batch))) return 'stopped';
      if (inFlight) await inFlight;
      return 'done';
    } finally {
      if (inFlight) await (inFlight as Promise<void>).catch(() => {});
      parser.destroy();
      await worker?.close();
    }
  }

  /** The stored file, one chunk at a time (about 1 MB in memory however large the file). */
  private async *chunks(run: RunningJob, job: ImportJobRow): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const [chunk] = await run.transaction((tx) =>
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
  private async commit(run: RunningJob, job: ImportJobRow, mapping: ColumnMapping, phones: PhoneCache, rows: DataRow[], progress: Progress, attempt = 0): Promise<void> {
    const last = rows[rows.length - 1];
    if (!last) return;
    try {
      await run.transaction(async (tx) => {
        // Imports of one agency run one batch at a time, so two jobs never both create the same client.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`crm.import:${job.agencyId}`}))`);
        const [now] = await tx.execute<{ now: string }>(sql`select to_json(date_trunc('milliseconds', now()))#>>'{}' as now`);
        const ctx: BatchContext = { tx, agencyId: job.agencyId, actorId: job.createdBy, now: new Date(now?.now ?? Date.now()), job: { id: job.id, fileName: job.fileName }, phones };
        const outcome: BatchOutcome = await applyImportBatch(ctx, job, mapping, rows);
        await this.advance(tx, job, rows.length, last.row, outcome);
      });
      progress.processed += rows.length;
      progress.lastRow = last.row;
    } catch (err) {
      if (err instanceof JobLeaseLost) throw err;
      const code = errorCode(err);
      if (code && RETRYABLE.has(code) && attempt < 3) {
        await sleep(50 * 2 ** attempt);
        return this.commit(run, job, mapping, phones, rows, progress, attempt + 1);
      }
      if (code && (code.startsWith('22') || code.startsWith('23'))) {
        if (rows.length > 1) {
          const half = Math.ceil(rows.length / 2);
          await this.commit(run, job, mapping, phones, rows.slice(0, half), progress);
          await this.commit(run, job, mapping, phones, rows.slice(half), progress);
          return;
        }
        return this.commitRefusedRow(run, job, rows[0] as DataRow, errorMessage(err), progress);
      }
      throw err;
    }
  }

  private async commitRefusedRow(run: RunningJob, job: ImportJobRow, row: DataRow, reason: string, progress: Progress): Promise<void> {
    await run.transaction(async (tx) => {
      await writeRowFailures(tx, job.id, job.agencyId, job.columns, [{ row: row.row, message: `could not be saved: ${reason}`, cells: row.cells }]);
      await this.advance(tx, job, 1, row.row, { created: 0, updated: 0, unchanged: 0, failures: [{ row: row.row, message: reason, cells: [] }] });
    });
    progress.processed += 1;
    progress.lastRow = row.row;
  }

  private advance(tx: Tx, job: ImportJobRow, count: number, lastRow: number, outcome: BatchOutcome) {
    return tx
      .update(importJobs)
      .set({
        processed: sql`${importJobs.processed} + ${count}`,
        lastRow,
        created: sql`${importJobs.created} + ${outcome.created}`,
        updated: sql`${importJobs.updated} + ${outcome.updated}`,
        unchanged: sql`${importJobs.unchanged} + ${outcome.unchanged}`,
        failed: sql`${importJobs.failed} + ${outcome.failures.length}`,
      })
      .where(eq(importJobs.id, job.id));
  }

  /** Completes or fails the import and drops the stored file, which nothing reads any more. */
  private async finish(tx: Tx, id: string, status: 'completed' | 'failed', error: string | null): Promise<void> {
    await tx
      .update(importJobs)
      .set({ status, error, finishedAt: sql`now()`, ...(status === 'completed' ? { total: sql`${importJobs.processed}` } : {}) })
      .where(eq(importJobs.id, id));
    await tx.delete(importFileChunks).where(eq(importFileChunks.jobId, id));
  }
}

/**
 * The batch's phone numbers with the country each is likely read in: none needed for an
 * international one; for a national one, the country most numbers so far were read in (the
 * client is not known before the batch's transaction; a wrong guess only misses the cache).
 */
function phoneItems(rows: DataRow[], mapping: ColumnMapping, phones: PhoneCache): { phone: string; country: string | null }[] {
  const country = phones.likelyCountry();
  return rows.map((r) => ({ phone: cell(r.cells, mapping, 'phone'), country }));
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
