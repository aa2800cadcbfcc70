import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';

export const ImportEntity = z.enum(['clients', 'contacts']);
export type ImportEntity = z.infer<typeof ImportEntity>;

/** Fields a CSV column can be mapped to, per entity. `clientName`/`clientEmail` link a contact to its client. */
export const importFields = {
  clients: ['name', 'email', 'phone', 'website', 'addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country', 'currency', 'taxId', 'isActive'],
  contacts: ['clientName', 'clientEmail', 'firstName', 'lastName', 'email', 'phone', 'title', 'isPrimary'],
} as const;

/**
 * What people call each field: the column headings of an export, which the importer maps back
 * beside the field names ("Postal code" and "postalCode" are one column). The fields an export can
 * add beyond the importable ones are labelled here too.
 */
export const fieldLabels = {
  clients: {
    name: 'Name',
    email: 'Email',
    phone: 'Phone',
    website: 'Website',
    addressLine1: 'Address line 1',
    addressLine2: 'Address line 2',
    city: 'City',
    region: 'Region',
    postalCode: 'Postal code',
    country: 'Country',
    currency: 'Currency',
    taxId: 'Tax ID',
    isActive: 'Active',
    id: 'ID',
    createdAt: 'Created at',
    updatedAt: 'Updated at',
  },
  contacts: {
    clientName: 'Client name',
    clientEmail: 'Client email',
    firstName: 'First name',
    lastName: 'Last name',
    email: 'Email',
    phone: 'Phone',
    title: 'Job title',
    isPrimary: 'Primary contact',
    id: 'ID',
    clientId: 'Client ID',
    phoneE164: 'Phone (E.164)',
    createdAt: 'Created at',
    updatedAt: 'Updated at',
  },
} as const satisfies { [E in ImportEntity]: Record<(typeof importFields)[E][number], string> & Record<string, string> };

export const ImportStatus = z.enum(['uploaded', 'queued', 'running', 'completed', 'failed']);
export type ImportStatus = z.infer<typeof ImportStatus>;

export const ImportRowError = z.object({ row: z.number().int(), message: z.string() });

export const ImportPreviewRow = z.object({
  /** 1-based data row number (the header is row 0). */
  row: z.number().int(),
  values: z.record(z.string(), z.string()),
  /** What committing with the suggested mapping would do to the row; `error` comes with `errors`. */
  action: z.enum(['create', 'update', 'unchanged', 'error']),
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
    /** First 20 rows, with what committing them with the suggested mapping would do. */
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
    /** Rows that matched an existing record and would change nothing: nothing written, no event. */
    unchanged: z.number().int(),
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
  /** The file starts with a UTF-8 byte order mark (so Excel reads it as UTF-8) unless `false`. */
  bom: z.enum(['true', 'false']).optional(),
  /** Column headings: `labels` (default, "Postal code") or `fields` (the field names, "postalCode"); the importer reads both. */
  header: z.enum(['labels', 'fields']).optional(),
});
export type ExportQuery = z.infer<typeof ExportQuery>;
export type ImportPreviewRow = z.infer<typeof ImportPreviewRow>;
export type ImportCreated = z.infer<typeof ImportCreated>;
export type ImportRowError = z.infer<typeof ImportRowError>;
/** A field a CSV column of `entity` can be imported into. */
export type ImportField<E extends ImportEntity = ImportEntity> = (typeof importFields)[E][number];
