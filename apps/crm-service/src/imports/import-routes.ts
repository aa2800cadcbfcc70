import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import { CommitImportBody } from '@atelier/contracts';
import { HttpError, requireRole, uuidParam, validate, type Db } from '@atelier/platform';
import { sendCsv } from '../exports/csv-stream.js';
import { toImportJobDto } from './import-mapper.js';
import type { ImportJobs } from './import-runner.js';
import { commitImport, createImport, exportRowErrors, getImport, IMPORT_ROLES, importFileDialect, uploadStore } from './import-service.js';
import { MAX_UPLOAD_BYTES, payloadTooLarge, receiveUpload } from './import-upload.js';

// Room for the multipart framing and the small text fields beside the file.
const MULTIPART_ALLOWANCE = 256 * 1024;

const drain = (req: IncomingMessage) =>
  new Promise<void>((resolve) => {
    req.on('end', resolve);
    req.on('close', resolve);
    req.resume();
  });

export interface ImportRouteOptions {
  maxUploadBytes?: number;
}

export function importRoutes(db: Db, imports: ImportJobs, options: ImportRouteOptions = {}): Router {
  const maxBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const r = Router();

  // The multipart edge (content type, size, streaming the file into storage) is HTTP's; the rules are the service's.
  r.post('/api/imports', async (req, res) => {
    const who = requireRole(res, IMPORT_ROLES);
    if (!req.is('multipart/form-data')) {
      throw new HttpError(415, 'Unsupported Media Type', 'Upload the file as multipart/form-data with the fields file and entity', undefined, 'import.not_multipart');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes + MULTIPART_ALLOWANCE) {
      // Certainly too large, whatever its other parts: nothing to parse or store. Read (and drop) a
      // moderately oversized body so the client sees the answer; close on a huge one.
      if (declared > 2 * maxBytes) res.setHeader('Connection', 'close');
      else await drain(req);
      throw payloadTooLarge(maxBytes);
    }
    const jobId = randomUUID();
    const store = uploadStore(db, who, jobId);
    let upload;
    try {
      upload = await receiveUpload(req, { maxBytes, writeChunk: store.writeChunk });
    } catch (err) {
      await store.discard();
      if (err instanceof HttpError && err.status === 413 && !req.complete) res.setHeader('Connection', 'close');
      throw err;
    }
    const body = await createImport(db, who, jobId, upload, store);
    res.status(201).location(`/api/imports/${jobId}`).json(body);
  });

  r.post('/api/imports/:id/commit', async (req, res) => {
    const who = requireRole(res, IMPORT_ROLES);
    const id = uuidParam(req.params);
    const job = await commitImport(db, imports, who, id, validate(CommitImportBody, req.body));
    // Committed: start it on this replica now rather than at the next poll.
    imports.wake();
    res.status(202).location(`/api/imports/${id}`).json(toImportJobDto(job, []));
  });

  r.get('/api/imports/:id', async (req, res) => {
    const found = await getImport(db, requireRole(res, IMPORT_ROLES), uuidParam(req.params));
    res.json(toImportJobDto(found.job, found.errors));
  });

  r.get('/api/imports/:id/errors.csv', async (req, res) => {
    const who = requireRole(res, IMPORT_ROLES);
    const id = uuidParam(req.params);
    // In the uploaded file's own dialect (delimiter, byte order mark): the spreadsheet that made it opens it.
    const { columns, delimiter, bom } = await importFileDialect(db, who, id);
    const header = [...columns, columns.includes('error') ? 'import error' : 'error'];
    await sendCsv(res, { fileName: `import-${id.slice(0, 8)}-errors.csv`, bom, delimiter, header }, (sink) => exportRowErrors(db, who, id, columns, sink));
  });

  return r;
}
