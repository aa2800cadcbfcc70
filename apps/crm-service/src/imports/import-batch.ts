import type { TenantTx } from '@atelier/platform';
import type { PhoneParser } from '../contacts/contact-phone.js';
import { insertRowErrors } from './import-repository.js';

/** One batch of a job, applied in one tenant transaction. */
export interface BatchContext {
  tx: TenantTx;
  agencyId: string;
  actorId: string;
  /** One timestamp for every change of the batch (the transaction's, to the millisecond). */
  now: Date;
  /** The job the rows come from, named by the bulk events and the timeline. */
  job: { id: string; fileName: string | null };
  /** The job's cache of parsed phone numbers (contacts), shared by its batches. */
  phones?: PhoneParser;
}

export interface RowFailure {
  row: number;
  message: string;
  cells: string[];
}

export interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  failures: RowFailure[];
}

export const emptyOutcome = (): BatchOutcome => ({ created: 0, updated: 0, unchanged: 0, failures: [] });

/** Records the batch's failed rows with their original values, by column name. */
export const writeRowFailures = (tx: TenantTx, jobId: string, agencyId: string, columns: string[], failures: RowFailure[]) =>
  insertRowErrors(
    tx,
    jobId,
    agencyId,
    failures.map((f) => ({ row: f.row, message: f.message, values: Object.fromEntries(columns.map((c, i) => [c, f.cells[i] ?? ''])) })),
  );

export const uniq = <T>(values: (T | undefined | null)[]): T[] => [...new Set(values.filter((v): v is T => v !== undefined && v !== null))];
