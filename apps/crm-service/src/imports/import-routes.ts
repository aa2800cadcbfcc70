import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import { asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { CommitImportBody, ImportEntity, type ImportCreated } from '@atelier/contracts';

type ImportCreatedBody = z.infer<typeof ImportCreated>;
import {
  badRequest,
  conflict,
  EDITORS,
  HttpError,
  notFound,
  requireRole,
  uuidParam,
  validate,
  withTenant,
  type Database,
  type FieldError,
  type Tx,
} from '@atelier/platform';
import { importFileChunks, importJobs, importRowErrors } from '../db/schema.js';
import { streamCsv, type CsvRow } from '../exports/csv-stream.js';
import { unescapeCell } from './csv-format.js';
import type { DataRow } from './csv-rows.js';
import { ClientDirectory } from './import-contacts.js';
import { mappingFromJson, resolveMapping, suggestMapping, validateEntityRow, type ColumnMapping, type ContactValues } from './import-fields.js';
import { findImportJob, firstRowErrors, toImportJobDto } from './import-jobs.js';
import type { ImportRunner } from './import-runner.js';
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

/** The preview: the first rows validated with the suggested mapping, contacts' clients looked up. */
async function previewRows(tx: Tx, entity: ImportEntity, columns: string[], rows: DataRow[], mapping: ColumnMapping): Promise<ImportCreatedBody['preview']> {
  const checked = rows.map((r) => ({ r, result: validateEntityRow(entity, r.cells, columns.length, mapping) }));
  let directory: ClientDirectory | null = null;
  if (entity === 'contacts') {
    const linkable = checked.flatMap((c) => (c.result.ok ? [c.result.values as ContactValues] : []));
    directory = await ClientDirectory.load(tx, linkable, false);
  }
  return checked.map(({ r, result }) => {
    const errors = result.ok ? [] : [...result.errors];
    if (result.ok && directory) {
      const client = directory.resolve(result.values as ContactValues);
      if ('error' in client) errors.push(client.error);
    }
    // As the job will read them: formula prefix removed, trimmed.
    const values = Object.fromEntries(columns.map((c, i) => [c, unescapeCell(r.cells[i] ?? '').trim()]));
    return { row: r.row, values, errors };
  });
}

export function importRoutes(database: Database, runner: ImportRunner, options: ImportRouteOptions = {}): Router {
  const { db, sql } = database;
  const maxBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const r = Router();

  r.post('/api/imports', async (req, res) => {
    const who = requireRole(res, EDITORS);
    if (!req.is('multipart/form-data')) {
      throw new HttpError(415, 'Unsupported Media Type', 'Upload the file as multipart/form-data with the fields file and entity');
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
    let stored = 0;
    const writeChunk = async (seq: number, data: Buffer) => {
      await withTenant(db, who.agencyId, (tx) => tx.insert(importFileChunks).values({ jobId, seq, agencyId: who.agencyId, data }));
      stored++;
    };
    const discard = async () => {
      if (stored) await withTenant(db, who.agencyId, (tx) => tx.delete(importFileChunks).where(eq(importFileChunks.jobId, jobId))).catch(() => {});
    };

    let upload;
    try {
      upload = await receiveUpload(req, { maxBytes, writeChunk });
    } catch (err) {
      await discard();
      if (err instanceof HttpError && err.status === 413 && !req.complete) res.setHeader('Connection', 'close');
      throw err;
    }

    const errors: FieldError[] = [];
    const entity = ImportEntity.safeParse(upload.entity);
    if (!entity.success) errors.push({ path: 'entity', message: upload.entity === undefined ? 'is required' : 'must be clients or contacts' });
    if (upload.fileError) errors.push({ path: 'file', message: upload.fileError });
    else if (!upload.file) errors.push({ path: 'file', message: 'is required' });
    if (errors.length || !entity.success || !upload.file) {
      await discard();
      throw badRequest('The upload is invalid', errors);
    }

    const file = upload.file;
    const suggestedMapping = suggestMapping(entity.data, file.columns);
    const body = await withTenant(db, who.agencyId, async (tx) => {
      const preview = await previewRows(tx, entity.data, file.columns, file.preview, mappingFromJson(file.columns, suggestedMapping));
      await tx.insert(importJobs).values({
        id: jobId,
        agencyId: who.agencyId,
        entity: entity.data,
        status: 'uploaded',
        fileName: file.fileName?.slice(0, 255) ?? null,
        fileSize: file.size,
        delimiter: file.delimiter,
        columns: file.columns,
        total: file.total,
        createdBy: who.userId,
      });
      return { id: jobId, entity: entity.data, status: 'uploaded', delimiter: file.delimiter, columns: file.columns, suggestedMapping, preview } satisfies ImportCreatedBody;
    }).catch(async (err) => {
      await discard();
      throw err;
    });
    res.status(201).location(`/api/imports/${jobId}`).json(body);
  });

  r.post('/api/imports/:id/commit', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const id = uuidParam(req.params);
    const body = validate(CommitImportBody, req.body);
    const job = await withTenant(db, who.agencyId, async (tx) => {
      const job = await findImportJob(tx, id, true);
      if (!job) throw notFound('Import not found');
      if (job.status !== 'uploaded') throw conflict(`The import is ${job.status}; only an uploaded file can be committed`);
      resolveMapping(job.entity, job.columns, body.mapping);
      const [queued] = await tx.update(importJobs).set({ mapping: body.mapping, status: 'queued' }).where(eq(importJobs.id, id)).returning();
      return queued ?? job;
    });
    runner.wake();
    res.status(202).location(`/api/imports/${id}`).json(toImportJobDto(job, []));
  });

  r.get('/api/imports/:id', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const id = uuidParam(req.params);
    const found = await withTenant(db, who.agencyId, async (tx) => {
      const job = await findImportJob(tx, id);
      return job ? { job, errors: await firstRowErrors(tx, id) } : null;
    });
    if (!found) throw notFound('Import not found');
    res.json(toImportJobDto(found.job, found.errors));
  });

  r.get('/api/imports/:id/errors.csv', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const id = uuidParam(req.params);
    const job = await withTenant(db, who.agencyId, (tx) => findImportJob(tx, id));
    if (!job) throw notFound('Import not found');
    // The failed rows as they were in the file, plus why: fix them and upload this file again.
    const columns = job.columns;
    const q = db
      .select({ row: importRowErrors.row, message: importRowErrors.message, values: importRowErrors.values })
      .from(importRowErrors)
      .where(eq(importRowErrors.jobId, id))
      .orderBy(asc(importRowErrors.row))
      .toSQL();
    await streamCsv(res, sql, who.agencyId, {
      fileName: `import-${id.slice(0, 8)}-errors.csv`,
      bom: req.query.bom === 'true',
      header: [...columns, columns.includes('error') ? 'import error' : 'error'],
      query: (tx) => tx.unsafe(q.sql, q.params as string[]),
      cells: (row: CsvRow) => {
        const values = (row.values ?? {}) as Record<string, string>;
        return [...columns.map((c) => values[c] ?? ''), row.message];
      },
    });
  });

  return r;
}
