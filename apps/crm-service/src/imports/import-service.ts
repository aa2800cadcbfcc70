import { ImportEntity, type CommitImportBody, type ImportCreated } from '@atelier/contracts';
import type { z } from 'zod';
import { conflictError, EDITORS, invalid, notFoundError, tenantTx, type Db, type FieldError, type Principal } from '@atelier/platform';
import type { CsvSink } from '../exports/csv-stream.js';
import type { DataRow } from './csv-rows.js';
import { writeRowFailures, type BatchContext, type BatchOutcome } from './import-batch.js';
import { applyClientRows } from './import-clients.js';
import { applyContactRows } from './import-contacts.js';
import { mappingFromJson, resolveMapping, suggestMapping, type ColumnMapping } from './import-fields.js';
import { previewRows } from './import-preview.js';
import type { ImportJobRow } from './import-mapper.js';
import {
  deleteFileChunks,
  insertFileChunk,
  insertImportJob,
  queueImportJob,
  rowErrorPages,
  selectFirstRowErrors,
  selectImportJob,
} from './import-repository.js';
import type { UploadOutcome } from './import-upload.js';
import type { ImportJobs } from './import-runner.js';

type ImportCreatedBody = z.infer<typeof ImportCreated>;

/** How many row errors GET /api/imports/:id carries; errors.csv has them all. */
export const ERRORS_IN_JOB = 100;

const importNotFound = () => notFoundError('import.not_found', 'Import not found');

/** Only editors import: the check the routes make before reading any of the body. */
export const IMPORT_ROLES = EDITORS;

/** Where an upload's file goes while it streams in: chunks stored as they come, dropped if the upload fails. */
export function uploadStore(db: Db, who: Principal, jobId: string) {
  let stored = 0;
  return {
    writeChunk: async (seq: number, data: Buffer) => {
      await tenantTx(db, who.agencyId, (tx) => insertFileChunk(tx, { jobId, seq, agencyId: who.agencyId, data }));
      stored++;
    },
    discard: async () => {
      if (stored) await tenantTx(db, who.agencyId, (tx) => deleteFileChunks(tx, jobId)).catch(() => {});
    },
  };
}

/**
 * An upload whose file is stored: checks its parts (`import.invalid_upload`), then records the job
 * as uploaded with the suggested mapping and a preview. The stored file is dropped on any failure.
 */
export async function createImport(db: Db, who: Principal, jobId: string, upload: UploadOutcome, store: { discard(): Promise<void> }): Promise<ImportCreatedBody> {
  const errors: FieldError[] = [];
  const entity = ImportEntity.safeParse(upload.entity);
  if (!entity.success) errors.push({ path: 'entity', message: upload.entity === undefined ? 'is required' : 'must be clients or contacts' });
  if (upload.fileError) errors.push({ path: 'file', message: upload.fileError });
  else if (!upload.file) errors.push({ path: 'file', message: 'is required' });
  if (errors.length || !entity.success || !upload.file) {
    await store.discard();
    throw invalid('import.invalid_upload', 'The upload is invalid', errors);
  }
  const file = upload.file;
  const suggestedMapping = suggestMapping(entity.data, file.columns);
  return tenantTx(db, who.agencyId, async (tx) => {
    await insertImportJob(tx, {
      id: jobId,
      agencyId: who.agencyId,
      entity: entity.data,
      status: 'uploaded',
      fileName: file.fileName?.slice(0, 255) ?? null,
      fileSize: file.size,
      delimiter: file.delimiter,
      fileBom: file.bom,
      columns: file.columns,
      total: file.total,
      createdBy: who.userId,
    });
    // After a statement of its own: the preview rolls back a savepoint, which must not be where
    // the transaction's agency pin (pipelined with the first statement) was set.
    const preview = await previewRows(tx, { agencyId: who.agencyId, actorId: who.userId, job: { id: jobId, fileName: file.fileName } }, entity.data, file.columns, file.preview, mappingFromJson(file.columns, suggestedMapping));
    return { id: jobId, entity: entity.data, status: 'uploaded', delimiter: file.delimiter, columns: file.columns, suggestedMapping, preview } satisfies ImportCreatedBody;
  }).catch(async (err) => {
    await store.discard();
    throw err;
  });
}

/** Queues an uploaded import with its mapping (`import.not_uploaded` once committed, `import.invalid_mapping` if it does not fit). */
/** Commits an upload: the import is queued and its kit job enqueued in one transaction. */
export function commitImport(db: Db, imports: Pick<ImportJobs, 'queue'>, who: Principal, id: string, body: CommitImportBody): Promise<ImportJobRow> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const job = await selectImportJob(tx, id, true);
    if (!job) throw importNotFound();
    if (job.status !== 'uploaded') throw conflictError('import.not_uploaded', `The import is ${job.status}; only an uploaded file can be committed`);
    resolveMapping(job.entity, job.columns, body.mapping);
    const queued = await queueImportJob(tx, id, body.mapping);
    await imports.queue(tx, job);
    return queued ?? job;
  });
}

export async function getImport(db: Db, who: Principal, id: string) {
  const found = await tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const job = await selectImportJob(tx, id);
      return job ? { job, errors: await selectFirstRowErrors(tx, id, ERRORS_IN_JOB) } : null;
    },
    { mode: 'snapshot' },
  );
  if (!found) throw importNotFound();
  return found;
}

/** The uploaded file's columns, delimiter and byte order mark, for errors.csv (`import.not_found` before anything is sent). */
export async function importFileDialect(db: Db, who: Principal, id: string): Promise<{ columns: string[]; delimiter: string; bom: boolean }> {
  const job = await tenantTx(db, who.agencyId, (tx) => selectImportJob(tx, id));
  if (!job) throw importNotFound();
  return { columns: job.columns, delimiter: job.delimiter, bom: job.fileBom };
}

/** The failed rows as they were in the file, plus why, into `sink`: fix them and upload that file again. */
export function exportRowErrors(db: Db, who: Principal, id: string, columns: string[], sink: CsvSink): Promise<void> {
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      for await (const rows of rowErrorPages(tx, id)) await sink.rows(rows.map((row) => [...columns.map((c) => row.values?.[c] ?? ''), row.message]));
    },
    { mode: 'snapshot' },
  );
}

/**
 * Applies one batch of a job's rows inside the job's batch transaction: the rows through the
 * domain's own set-based writes (clients or contacts, with their events), and the rows that failed.
 */
export async function applyImportBatch(ctx: BatchContext, job: Pick<ImportJobRow, 'id' | 'entity' | 'columns'>, mapping: ColumnMapping, rows: DataRow[]): Promise<BatchOutcome> {
  const outcome = job.entity === 'clients' ? await applyClientRows(ctx, rows, job.columns.length, mapping) : await applyContactRows(ctx, rows, job.columns.length, mapping);
  await writeRowFailures(ctx.tx, job.id, ctx.agencyId, job.columns, outcome.failures);
  return outcome;
}
