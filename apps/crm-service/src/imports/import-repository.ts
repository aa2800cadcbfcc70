import { asc, eq, sql } from 'drizzle-orm';
import { jsonParam, type TenantTx, type Tx } from '@atelier/platform';
import { importFileChunks, importJobs, importRowErrors } from '../db/schema.js';
import { CURSOR_ROWS } from '../exports/csv-stream.js';
import type { ImportJobRow } from './import-mapper.js';

export async function insertFileChunk(tx: Tx, chunk: { jobId: string; seq: number; agencyId: string; data: Buffer }): Promise<void> {
  await tx.insert(importFileChunks).values(chunk);
}

export async function deleteFileChunks(tx: Tx, jobId: string): Promise<void> {
  await tx.delete(importFileChunks).where(eq(importFileChunks.jobId, jobId));
}

export async function insertImportJob(tx: Tx, job: typeof importJobs.$inferInsert): Promise<void> {
  await tx.insert(importJobs).values(job);
}

export async function selectImportJob(tx: Tx, id: string, lock = false): Promise<ImportJobRow | undefined> {
  const q = tx.select().from(importJobs).where(eq(importJobs.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function queueImportJob(tx: Tx, id: string, mapping: Record<string, string>): Promise<ImportJobRow | undefined> {
  const [row] = await tx.update(importJobs).set({ mapping, status: 'queued' }).where(eq(importJobs.id, id)).returning();
  return row;
}

export const selectFirstRowErrors = (tx: Tx, jobId: string, limit: number) =>
  tx
    .select({ row: importRowErrors.row, message: importRowErrors.message })
    .from(importRowErrors)
    .where(eq(importRowErrors.jobId, jobId))
    .orderBy(asc(importRowErrors.row))
    .limit(limit);

/** Every row error of a job in row order, a cursor step at a time (errors.csv). */
export const rowErrorPages = (tx: TenantTx, jobId: string) =>
  tx.cursor<{ row: number; message: string; values: Record<string, string> | null }>(
    tx
      .select({ row: importRowErrors.row, message: importRowErrors.message, values: importRowErrors.values })
      .from(importRowErrors)
      .where(eq(importRowErrors.jobId, jobId))
      .orderBy(asc(importRowErrors.row))
      .getSQL(),
    CURSOR_ROWS,
  );

export interface RowErrorRecord {
  row: number;
  message: string;
  values: Record<string, string>;
}

/** A batch's row errors in one statement; a row already recorded (never expected: a batch commits its errors with its progress) is left as it is. */
export async function insertRowErrors(tx: Tx, jobId: string, agencyId: string, errors: RowErrorRecord[]): Promise<void> {
  if (errors.length === 0) return;
  const rows = errors.map((e) => ({ job_id: jobId, row: e.row, agency_id: agencyId, message: e.message, values: e.values }));
  await tx.execute(sql`
    insert into ${importRowErrors} (job_id, row, agency_id, message, values)
    select x.job_id, x.row, x.agency_id, x.message, x.values
    from json_to_recordset(${jsonParam(rows)}) as x(job_id uuid, row integer, agency_id uuid, message text, values jsonb)
    on conflict (job_id, row) do nothing`);
}
