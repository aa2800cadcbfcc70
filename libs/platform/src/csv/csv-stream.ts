import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { escapeCell } from './csv-cells.js';

/** Rows fetched per cursor step: all the memory an export holds, whatever its size. */
export const CURSOR_ROWS = 1_000;

/** Where a use case writes a CSV download: the header once, then the rows a cursor step at a time. */
export interface CsvSink {
  rows(rows: unknown[][]): Promise<void>;
}

/** The client went away: nothing to answer, the transaction just rolls back. */
export class ClientGone extends Error {
  constructor() {
    super('client went away');
  }
}

// RFC 4180: CRLF between records; fields with a delimiter, quote, CR or LF quoted, quotes doubled.
// (csv-stringify quotes only its own record delimiter, so a lone LF or CR is matched explicitly.)
// A semicolon is quoted too: a spreadsheet in a semicolon locale splits unquoted cells on it, and
// the piece after one could start a formula that the formula guard never saw at the cell's start.
const toCsv = (records: string[][], delimiter = ',') => stringify(records, { delimiter, record_delimiter: 'windows', quoted_match: /[\r\n;]/ });

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

export interface CsvDownload {
  fileName: string;
  bom: boolean;
  /** Between fields; `,` unless given. */
  delimiter?: string;
  header: string[];
}

/**
 * Answers with a CSV download that `produce` fills: the use case streams rows from a server-side
 * cursor inside its agency transaction, and the next step is fetched only once the response has
 * drained. Every cell goes through `escapeCell` (no spreadsheet formulas). Headers are sent with
 * the first rows, so an error the use case throws before that is still a problem+json answer.
 */
export async function sendCsv(res: Response, download: CsvDownload, produce: (sink: CsvSink) => Promise<void>): Promise<void> {
  let started = false;
  const start = async () => {
    if (started) return;
    started = true;
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${download.fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    await write(res, (download.bom ? '\ufeff' : '') + toCsv([download.header.map(escapeCell)], download.delimiter));
  };
  const sink: CsvSink = {
    rows: async (rows) => {
      await start();
      await write(res, toCsv(rows.map((row) => row.map((v) => escapeCell(text(v)))), download.delimiter));
    },
  };
  try {
    await produce(sink);
    await start();
    res.end();
  } catch (err) {
    if (err instanceof ClientGone) return;
    throw err;
  }
}
