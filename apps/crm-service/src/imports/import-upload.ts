import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Parser } from 'csv-parse';
import { badRequest, HttpError } from '@atelier/platform';
import { csvParser, detectDelimiter, inspectHead, MAX_RECORD_CHARS, type Delimiter, type HeadProblem } from './csv-format.js';
import { columnNames, MAX_COLUMNS, RowSplitter, type DataRow } from './csv-rows.js';

/** Largest accepted file: 50 MiB. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** The stored file is split into rows of this size. */
export const CHUNK_BYTES = 1024 * 1024;
/** Enough of the file's start to judge its encoding and delimiter. */
const HEAD_BYTES = 64 * 1024;
export const PREVIEW_ROWS = 20;

export interface UploadedFile {
  fileName: string | null;
  size: number;
  delimiter: Delimiter;
  /** The file began with a UTF-8 byte order mark (its errors.csv does too). */
  bom: boolean;
  columns: string[];
  /** Data rows that are not blank: what the job will process. */
  total: number;
  preview: DataRow[];
  chunks: number;
}

export interface UploadOptions {
  maxBytes?: number;
  /** Stores one piece of the file, in order; called while the upload streams in. */
  writeChunk: (seq: number, data: Buffer) => Promise<void>;
}

export type UploadOutcome = { entity: string | undefined; file: UploadedFile | null; fileError: string | null };

const headMessages: Record<HeadProblem, string> = {
  binary: 'is not a CSV text file (it contains binary data)',
  utf16: 'is UTF-16 encoded; save it as "CSV UTF-8" and upload it again',
  encoding: 'is not UTF-8 encoded text; save it as "CSV UTF-8" and upload it again',
};

export const payloadTooLarge = (maxBytes: number) =>
  new HttpError(413, 'Payload Too Large', `The file is larger than ${Math.round(maxBytes / (1024 * 1024))} MB`, [{ path: 'file', message: 'is too large' }], 'import.file_too_large');

/**
 * Reads a multipart upload as it streams in, without holding the file: each piece is checked
 * (UTF-8 throughout, no NUL bytes), stored through `writeChunk` in pieces of CHUNK_BYTES, and
 * parsed as CSV on the fly to find the header, count the rows and keep the first PREVIEW_ROWS.
 * A file over the limit is noticed while streaming (busboy's `limit`) and is a 413; the rest of the
 * request is drained so the client reads the answer. Problems with the content come back as
 * `fileError` (a 400 on `file`) so the caller can report them together with a bad `entity`.
 */
export async function receiveUpload(req: IncomingMessage, options: UploadOptions): Promise<UploadOutcome> {
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  let bb: busboy.Busboy;
  try {
    // busboy reports `limit` when a file reaches fileSize, so one byte more: a file of exactly maxBytes is fine.
    bb = busboy({ headers: req.headers, limits: { fileSize: maxBytes + 1, files: 1, fields: 10, fieldSize: 10_000, parts: 20 } });
  } catch (err) {
    throw badRequest(`The multipart body is malformed: ${(err as Error).message}`, [{ path: 'file', message: 'is missing' }]);
  }

  let entity: string | undefined;
  let fileTask: Promise<FileResult> | null = null;
  let fileStream: Readable | null = null;
  let aborted = false;

  const finished = new Promise<void>((resolve, reject) => {
    bb.on('field', (name, value) => {
      if (name === 'entity' && entity === undefined) entity = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || fileTask) {
        stream.resume();
        return;
      }
      fileStream = stream;
      fileTask = readFile(stream, info.filename ?? null, maxBytes, options.writeChunk, () => aborted);
      // Reported through the awaited task below; this only keeps Node from calling it unhandled meanwhile.
      fileTask.catch(() => {});
    });
    bb.on('close', () => resolve());
    bb.on('error', (err) => reject(badRequest(`The multipart body is malformed: ${(err as Error).message}`, [{ path: 'file', message: 'could not be read' }])));
    req.on('close', () => {
      if (!req.complete) reject(new HttpError(400, 'Bad Request', 'The upload was interrupted'));
    });
    // Past the limit busboy discards the rest of the file while the request drains; past twice the
    // limit we stop reading altogether (the caller answers 413 and closes the connection).
    let received = 0;
    req.on('data', (data: Buffer) => {
      received += data.length;
      if (received > 2 * maxBytes + 1024 * 1024) {
        req.unpipe(bb);
        req.pause();
        reject(payloadTooLarge(maxBytes));
      }
    });
  });
  req.pipe(bb);

  try {
    await finished;
  } catch (err) {
    aborted = true;
    req.unpipe(bb);
    // End the file reader too, so no piece is stored after the caller has cleaned up.
    (fileStream as Readable | null)?.destroy();
    if (fileTask) await (fileTask as Promise<FileResult>).catch(() => {});
    throw err;
  }
  const result = fileTask ? await (fileTask as Promise<FileResult>) : null;
  if (result?.tooLarge) throw payloadTooLarge(maxBytes);
  if (!result) return { entity, file: null, fileError: null };
  if ('error' in result) return { entity, file: null, fileError: result.error };
  return { entity, file: result.file, fileError: null };
}

type FileResult = { tooLarge: true } | { tooLarge?: false; error: string } | { tooLarge?: false; file: UploadedFile };

async function readFile(stream: Readable & { truncated?: boolean }, fileName: string | null, maxBytes: number, writeChunk: UploadOptions['writeChunk'], isAborted: () => boolean): Promise<FileResult> {
  const state: { writing: Promise<void> | null } = { writing: null };
  try {
    return await scanFile(stream, fileName, maxBytes, writeChunk, isAborted, state);
  } finally {
    // Whatever the outcome, no piece is still being written when the caller cleans up.
    await state.writing?.catch(() => {});
  }
}

async function scanFile(
  stream: Readable & { truncated?: boolean },
  fileName: string | null,
  maxBytes: number,
  writeChunk: UploadOptions['writeChunk'],
  isAborted: () => boolean,
  state: { writing: Promise<void> | null },
): Promise<FileResult> {
  let tooLarge = false;
  stream.on('limit', () => {
    tooLarge = true;
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const csv = new CsvScanner();
  let error: string | null = null;
  let size = 0;
  let head: Buffer[] = [];
  let headLength = 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let seq = 0;
  let bom = false;

  // One piece is written while the next is read and parsed; at most two are in memory.
  const flush = async (all: boolean) => {
    while (pendingLength >= CHUNK_BYTES || (all && pendingLength > 0)) {
      const data = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingLength);
      const piece = Buffer.from(data.subarray(0, Math.min(CHUNK_BYTES, data.length)));
      const rest = data.subarray(piece.length);
      pending = rest.length ? [rest] : [];
      pendingLength = rest.length;
      await state.writing;
      if (isAborted()) return;
      state.writing = writeChunk(seq++, piece);
      state.writing.catch(() => {}); // awaited (and its error thrown) at the next piece or at the end
    }
    if (all) await state.writing;
  };
  // The whole file must be UTF-8 text without NUL (which PostgreSQL cannot store), checked as it
  // streams; the head after its binary/UTF-16 checks, for a precise message.
  const utf8 = (data: Buffer): string | null => {
    if (data.includes(0)) return headMessages.binary;
    try {
      decoder.decode(data, { stream: true });
      return null;
    } catch {
      return headMessages.encoding;
    }
  };
  const startParsing = (data: Buffer): string | null => {
    const inspected = inspectHead(data);
    if (inspected.problem) return headMessages[inspected.problem];
    bom = inspected.bomLength > 0;
    const invalid = utf8(data);
    if (invalid) return invalid;
    const text = new TextDecoder('utf-8').decode(data.subarray(inspected.bomLength));
    csv.start(detectDelimiter(text));
    return csv.write(data);
  };

  for await (const data of stream as AsyncIterable<Buffer>) {
    if (tooLarge || error || isAborted()) continue; // keep draining so busboy can finish the request
    size += data.length;
    if (size > maxBytes) {
      tooLarge = true;
      continue;
    }
    if (!csv.started) {
      head.push(data);
      headLength += data.length;
      if (headLength < HEAD_BYTES) continue;
      const all = Buffer.concat(head, headLength);
      head = [];
      error = startParsing(all);
      if (error) continue;
      pending.push(all);
      pendingLength += all.length;
    } else {
      error = utf8(data) ?? csv.write(data);
      if (error) continue;
      pending.push(data);
      pendingLength += data.length;
    }
    if (pendingLength >= CHUNK_BYTES) await flush(false);
  }
  if (tooLarge || stream.truncated) return { tooLarge: true };
  if (error) return { error };
  try {
    decoder.decode();
  } catch {
    return { error: headMessages.encoding };
  }
  if (!csv.started) {
    const all = Buffer.concat(head, headLength);
    if (all.length === 0) return { error: 'is empty' };
    error = startParsing(all);
    if (error) return { error };
    pending.push(all);
    pendingLength += all.length;
  }
  error = await csv.end();
  if (error) return { error };
  if (!csv.columns) return { error: 'is empty: it has no header row' };
  await flush(true);
  return {
    file: { fileName, size, delimiter: csv.delimiter, bom, columns: csv.columns, total: csv.total, preview: csv.preview, chunks: seq },
  };
}

/** Parses a CSV pushed in pieces: header, row count and the first rows; the first parse error ends it. */
class CsvScanner {
  started = false;
  delimiter: Delimiter = ',';
  columns: string[] | null = null;
  total = 0;
  preview: DataRow[] = [];
  private parser: Parser | null = null;
  private error: string | null = null;
  private readonly rows = new RowSplitter();
  private done: Promise<void> | null = null;

  start(delimiter: Delimiter) {
    this.started = true;
    this.delimiter = delimiter;
    const parser = csvParser(delimiter);
    this.parser = parser;
    parser.on('data', (cells: string[]) => this.onRecord(cells));
    this.done = new Promise<void>((resolve) => {
      parser.on('end', () => resolve());
      parser.on('error', (err: Error & { code?: string }) => {
        this.error ??= describeParseError(err);
        resolve();
      });
    });
  }

  private onRecord(cells: string[]) {
    if (this.error) return;
    const row = this.rows.accept(cells);
    if (!this.columns && this.rows.header) {
      if (this.rows.header.length > MAX_COLUMNS) {
        this.error = `has ${this.rows.header.length} columns; at most ${MAX_COLUMNS} are supported`;
        return;
      }
      this.columns = columnNames(this.rows.header);
    }
    if (!row) return;
    this.total++;
    if (this.preview.length < PREVIEW_ROWS) this.preview.push(row);
  }

  /** Feeds bytes; returns the first problem found so far. */
  write(data: Buffer): string | null {
    if (!this.error) this.parser?.write(data);
    return this.error;
  }

  async end(): Promise<string | null> {
    this.parser?.end();
    await this.done;
    return this.error;
  }
}

function describeParseError(err: Error & { code?: string; lines?: number }): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `is not valid CSV: a quoted field opened near line ${err.lines ?? '?'} is never closed`;
    case 'CSV_MAX_RECORD_SIZE':
      return `is not valid CSV: a row near line ${err.lines ?? '?'} is longer than ${MAX_RECORD_CHARS} characters (is a quote never closed?)`;
    default:
      return `is not valid CSV: ${err.message}`;
  }
}
