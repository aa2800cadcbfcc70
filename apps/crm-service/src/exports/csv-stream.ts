import type { Response } from 'express';
import type postgres from 'postgres';
import { stringify } from 'csv-stringify/sync';
import type { Sql } from '@atelier/platform';
import { escapeCell } from '../imports/csv-format.js';

/** Rows fetched per cursor step: all the memory an export holds, whatever its size. */
export const CURSOR_ROWS = 1_000;

export type CsvRow = Record<string, unknown>;
type TxSql = postgres.TransactionSql;

export interface CsvStream {
  fileName: string;
  bom: boolean;
  header: string[];
  /** Runs first, in the same agency transaction (for a 404 before anything is sent). */
  before?: (tx: TxSql) => Promise<void>;
  query: (tx: TxSql) => postgres.PendingQuery<postgres.Row[]>;
  cells: (row: CsvRow) => unknown[];
}

/** The client went away: nothing to answer, the transaction just rolls back. */
export class ClientGone extends Error {
  constructor() {
    super('client went away');
  }
}

// RFC 4180: CRLF between records; fields with a delimiter, quote, CR or LF quoted, quotes doubled.
// (csv-stringify quotes only its own record delimiter, so a lone LF or CR is matched explicitly.)
const toCsv = (records: string[][]) => stringify(records, { record_delimiter: 'windows', quoted_match: /[\r\n]/ });

const text = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
};

async function write(res: Response, chunk: string): Promise<void> {
  if (res.destroyed || res.writableEnded) throw new ClientGone();
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new ClientGone());
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * Streams a query as a CSV download straight from a server-side cursor inside the agency's
 * transaction (RLS applies): one cursor step in memory at a time, and the next is fetched only once
 * the response has drained. Every cell goes through `escapeCell` (no spreadsheet formulas).
 * Headers are sent with the first rows, so an error before that is still a problem+json answer.
 */
export async function streamCsv(res: Response, sql: Sql, agencyId: string, spec: CsvStream): Promise<void> {
  let started = false;
  const start = async () => {
    if (started) return;
    started = true;
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${spec.fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    await write(res, (spec.bom ? '\ufeff' : '') + toCsv([spec.header.map(escapeCell)]));
  };
  try {
    await sql.begin(async (tx) => {
      await tx`select set_config('app.agency_id', ${agencyId}, true)`;
      await spec.before?.(tx);
      for await (const rows of spec.query(tx).cursor(CURSOR_ROWS)) {
        await start();
        await write(res, toCsv(rows.map((row) => spec.cells(row).map((v) => escapeCell(text(v))))));
      }
    });
    await start();
    res.end();
  } catch (err) {
    if (err instanceof ClientGone) return;
    throw err;
  }
}
