import type { ImportJob } from '@atelier/contracts';
import type { importJobs } from '../db/schema.js';

export type ImportJobRow = typeof importJobs.$inferSelect;

export const toImportJobDto = (job: ImportJobRow, errors: { row: number; message: string }[]): ImportJob => ({
  id: job.id,
  entity: job.entity,
  status: job.status,
  total: job.total,
  processed: job.processed,
  created: job.created,
  updated: job.updated,
  unchanged: job.unchanged,
  failed: job.failed,
  errors,
  error: job.error,
  createdAt: job.createdAt.toISOString(),
  finishedAt: job.finishedAt?.toISOString() ?? null,
});
