import type { Readable } from 'node:stream';
import { isBlankRecord, unescapeCell } from './csv-format.js';

export const MAX_COLUMNS = 500;
const MAX_COLUMN_NAME = 200;

export interface DataRow {
  /** 1-based data row number; the header is row 0. Blank rows are numbered but never yielded. */
  row: number;
  cells: string[];
}

/**
 * Column names from the header record: trimmed, blank ones named "Column N", repeated ones
 * numbered ("Email (2)"), so every column has a unique name a mapping can refer to.
 */
export function columnNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, i) => {
    let name = unescapeCell(raw).trim().slice(0, MAX_COLUMN_NAME) || `Column ${i + 1}`;
    const count = (seen.get(name.toLowerCase()) ?? 0) + 1;
    seen.set(name.toLowerCase(), count);
    if (count > 1) name = `${name} (${count})`;
    return name;
  });
}

/**
 * Splits parsed records into the header (the first record that is not blank) and numbered data
 * rows. The upload and the job both read a file through this, so row numbers always agree.
 */
export class RowSplitter {
  header: string[] | null = null;
  /** Number of the last data record seen, blank or not. */
  lastRow = 0;

  accept(cells: string[]): DataRow | null {
    if (!this.header) {
      if (!isBlankRecord(cells)) this.header = cells;
      return null;
    }
    this.lastRow++;
    return isBlankRecord(cells) ? null : { row: this.lastRow, cells };
  }
}

/**
 * Records of a parser in arrays of up to `size`, read synchronously from its buffer: one await per
 * array rather than per record (a 100,000-row file would otherwise make 100,000 promises).
 */
export async function* recordBatches(parser: Readable, size: number): AsyncGenerator<string[][]> {
  let batch: string[][] = [];
  for (;;) {
    let record: string[] | null;
    while ((record = parser.read() as string[] | null) !== null) {
      batch.push(record);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (parser.readableEnded || parser.destroyed) break;
    await readableOrEnd(parser);
  }
  if (parser.errored) throw parser.errored;
  if (batch.length) yield batch;
}

function readableOrEnd(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('readable', onReadable);
      stream.off('end', onReadable);
      stream.off('close', onReadable);
      stream.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onReadable = () => done();
    stream.on('readable', onReadable);
    stream.on('end', onReadable);
    stream.on('close', onReadable);
    stream.on('error', done);
  });
}
