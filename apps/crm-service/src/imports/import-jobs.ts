import { asc, eq } from 'drizzle-orm';
import type { ImportJob } from '@atelier/contracts';
import type { Tx } from '@atelier/platform';
import { importJobs, importRowErrors } from '../db/schema.js';

export type ImportJobRow = typeof importJobs.$inferSelect;

/** How many row errors GET /api/imports/:id carries; errors.csv has them all. */
export const ERRORS_IN_JOB = 100;

export const toImportJobDto = (job: ImportJobRow, errors: { row: number; message: string }[]): ImportJob => ({
  id: job.id,
  entity: job.entity,
  status: job.status,
  total: job.total,
  processed: job.processed,
  created: job.created,
  updated: job.updated,
  failed: job.failed,
  errors,
  error: job.error,
  createdAt: job.createdAt.toISOString(),
  finishedAt: job.finishedAt?.toISOString() ?? null,
});

export async function findImportJob(tx: Tx, id: string, lock = false): Promise<ImportJobRow | undefined> {
  const q = tx.select().from(importJobs).where(eq(importJobs.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export const firstRowErrors = (tx: Tx, jobId: string, limit = ERRORS_IN_JOB) =>
  tx
    .select({ row: importRowErrors.row, message: importRowErrors.message })
    .from(importRowErrors)
    .where(eq(importRowErrors.jobId, jobId))
    .orderBy(asc(importRowErrors.row))
    .limit(limit);
