import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';

export const ImportEntity = z.enum(['clients', 'contacts']);
export type ImportEntity = z.infer<typeof ImportEntity>;

/** Fields a CSV column can be mapped to, per entity. `clientName`/`clientEmail` link a contact to its client. */
export const importFields = {
  clients: ['name', 'email', 'phone', 'website', 'addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country', 'currency', 'taxId', 'isActive'],
  contacts: ['clientName', 'clientEmail', 'firstName', 'lastName', 'email', 'phone', 'title', 'isPrimary'],
} as const;

export const ImportStatus = z.enum(['uploaded', 'queued', 'running', 'completed', 'failed']);
export type ImportStatus = z.infer<typeof ImportStatus>;

export const ImportRowError = z.object({ row: z.number().int(), message: z.string() });

export const ImportPreviewRow = z.object({
  /** 1-based data row number (the header is row 0). */
  row: z.number().int(),
  values: z.record(z.string(), z.string()),
  errors: z.array(z.string()),
});

export const ImportCreated = z
  .object({
    id: Uuid,
    entity: ImportEntity,
    status: ImportStatus,
    delimiter: z.string(),
    columns: z.array(z.string()),
    /** Suggested column → field mapping from the header names. */
    suggestedMapping: z.record(z.string(), z.string()),
    /** First 20 rows, validated with the suggested mapping. */
    preview: z.array(ImportPreviewRow),
  })
  .meta({ id: 'ImportCreated' });

export const CommitImportBody = z
  .object({ mapping: z.record(z.string().max(200), z.string().max(50)) })
  .strict()
  .meta({ id: 'CommitImportBody' });
export type CommitImportBody = z.infer<typeof CommitImportBody>;

export const ImportJob = z
  .object({
    id: Uuid,
    entity: ImportEntity,
    status: ImportStatus,
    total: z.number().int(),
    processed: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    failed: z.number().int(),
    errors: z.array(ImportRowError),
    /** Why a failed job failed (for example interrupted by a restart), with what was imported. */
    error: z.string().nullable(),
    createdAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ImportJob' });
export type ImportJob = z.infer<typeof ImportJob>;

export const ExportQuery = z.object({
  fields: z.string().max(1000).optional(),
  search: z.string().trim().max(200).optional(),
  isActive: z.enum(['true', 'false']).optional(),
  clientId: Uuid.optional(),
  /** `true` starts the file with a UTF-8 byte order mark, for Excel. */
  bom: z.enum(['true', 'false']).optional(),
});
