import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { DomainError } from '../errors/domain-error.js';
import { BlobTooLarge } from '../blobs/blob-meter.js';

export interface ReceivedFile<T> {
  /** The name the client gave (not cleaned). */
  fileName: string | null;
  result: T;
}

export const fileTooLarge = (maxBytes: number) =>
  new DomainError('too_large', 'attachment.file_too_large', `The file is larger than ${Math.round(maxBytes / (1024 * 1024))} MB`, { errors: [{ path: 'file', message: 'is too large' }] });

/**
 * Reads a multipart upload's part `file` as a stream into `store`, without holding it: other parts
 * are skipped. A file over `maxBytes` fails `store` (its `BlobTooLarge`) while streaming; the rest of
 * the request is then drained so the client reads the 413, up to twice the limit, after which
 * reading stops (the caller closes the connection: `closeAfter`). Null when there is no file part.
 */
export async function receiveFile<T>(req: IncomingMessage, maxBytes: number, store: (file: Readable) => Promise<T>): Promise<ReceivedFile<T> | null> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 20, fieldSize: 10_000, parts: 30 } });
  } catch (err) {
    throw new DomainError('invalid', 'attachment.invalid_upload', `The multipart body is malformed: ${(err as Error).message}`, { errors: [{ path: 'file', message: 'is missing' }] });
  }
  let task: Promise<ReceivedFile<T>> | null = null;
  const parsed = new Promise<void>((resolve, reject) => {
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || task) {
        stream.resume();
        return;
      }
      task = store(stream).then(
        (result) => ({ fileName: info.filename ?? null, result }),
        (err: unknown) => {
          // Keep busboy reading past the refused file, so the request ends and the answer is read.
          stream.resume();
          throw err;
        },
      );
      task.catch(() => {});
    });
    bb.on('close', () => resolve());
    bb.on('error', (err) => reject(new DomainError('invalid', 'attachment.invalid_upload', `The multipart body is malformed: ${(err as Error).message}`, { errors: [{ path: 'file', message: 'could not be read' }] })));
    req.on('close', () => {
      if (!req.complete) reject(new DomainError('invalid', 'attachment.invalid_upload', 'The upload was interrupted'));
    });
    let received = 0;
    req.on('data', (data: Buffer) => {
      received += data.length;
      if (received > 2 * maxBytes + 1024 * 1024) {
        req.unpipe(bb);
        req.pause();
        reject(new BlobTooLarge(maxBytes));
      }
    });
  });
  req.pipe(bb);
  try {
    await parsed;
  } catch (err) {
    if (task) await (task as Promise<ReceivedFile<T>>).catch(() => {});
    throw err instanceof BlobTooLarge ? fileTooLarge(maxBytes) : err;
  }
  if (!task) return null;
  try {
    return await (task as Promise<ReceivedFile<T>>);
  } catch (err) {
    if (err instanceof BlobTooLarge) throw fileTooLarge(maxBytes);
    throw err;
  }
}
