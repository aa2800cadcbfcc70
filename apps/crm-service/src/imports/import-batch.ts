import { randomUUID } from 'node:crypto';
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { EventEnvelope, EventName, EventPayload } from '@atelier/contracts';
import type { Tx } from '@atelier/platform';
import { importRowErrors, outbox } from '../db/schema.js';

/** One batch of a job, applied in one tenant transaction. */
export interface BatchContext {
  tx: Tx;
  agencyId: string;
  actorId: string;
  /** One timestamp for every change of the batch (the transaction's, to the millisecond). */
  now: Date;
  /** The job's cache of parsed phone numbers (contacts), shared by its batches. */
  phones?: { toE164(phone: string, country: string | null): string | null };
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
  events: EventEnvelope[];
}

export const emptyOutcome = (): BatchOutcome => ({ created: 0, updated: 0, unchanged: 0, failures: [], events: [] });

/** An envelope exactly as `writeEvent` builds it; the batch writes them to the outbox in one statement. */
export function envelope<N extends EventName>(ctx: BatchContext, name: N, payload: EventPayload<N>): EventEnvelope {
  return { id: randomUUID(), name, occurredAt: ctx.now.toISOString(), agencyId: ctx.agencyId, actorId: ctx.actorId, payload, trace: {} };
}

/** A whole batch of rows as one JSON parameter, for `json_to_recordset`: one round trip however many rows. */
export const jsonParam = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;

export async function writeOutboxEvents(tx: Tx, events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) => ({ id: e.id, agency_id: e.agencyId, name: e.name, envelope: e }));
  await tx.execute(sql`
    insert into ${outbox} (id, agency_id, name, envelope)
    select x.id, x.agency_id, x.name, x.envelope
    from json_to_recordset(${jsonParam(rows)}) as x(id uuid, agency_id uuid, name text, envelope jsonb)`);
}

export async function writeRowFailures(tx: Tx, jobId: string, agencyId: string, columns: string[], failures: RowFailure[]): Promise<void> {
  if (failures.length === 0) return;
  const rows = failures.map((f) => ({
    job_id: jobId,
    row: f.row,
    agency_id: agencyId,
    message: f.message,
    values: Object.fromEntries(columns.map((c, i) => [c, f.cells[i] ?? ''])),
  }));
  // A row already recorded (never expected: a batch commits its errors with its progress) is left as it is.
  await tx.execute(sql`
    insert into ${importRowErrors} (job_id, row, agency_id, message, values)
    select x.job_id, x.row, x.agency_id, x.message, x.values
    from json_to_recordset(${jsonParam(rows)}) as x(job_id uuid, row integer, agency_id uuid, message text, values jsonb)
    on conflict (job_id, row) do nothing`);
}

/**
 * `column = any($1::type[])` with the whole list as one parameter (a long IN list costs a parameter
 * per value to send and to plan); undefined for an empty list, so it drops out of an `or(...)`.
 */
export const anyOf = (column: AnyColumn, values: string[], type: 'text' | 'uuid' = 'text'): SQL | undefined =>
  values.length ? sql`${column} = any(${sql.param(values)}::${sql.raw(type)}[])` : undefined;

export const uniq = <T>(values: (T | undefined | null)[]): T[] => [...new Set(values.filter((v): v is T => v !== undefined && v !== null))];
