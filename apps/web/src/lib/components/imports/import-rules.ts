// The import wizard's rules, apart from its screens (and from the app's aliases, so they unit-test
// on their own): what the matches lack, what a preview row will become, what a result says.
import type { ImportCreated, ImportEntity, ImportJob, ImportPreviewRow } from '@atelier/contracts';
import { plural } from '../../format';

/** CSV column → field it is imported into ('' = don't import). */
export type ColumnMatches = Record<string, string>;
export type LabelOf = (field: string) => string;
export interface LabelledField {
  field: string;
  label: string;
}

export const delimiterName = (d: string): string =>
  d === ',' ? 'commas' : d === ';' ? 'semicolons' : d === '\t' ? 'tabs' : d === '|' ? 'vertical bars' : `“${d}”`;

/** The server's suggestion, with every column present ('' where it suggested nothing). */
export const suggestedMatches = (upload: Pick<ImportCreated, 'columns' | 'suggestedMapping'>): ColumnMatches =>
  Object.fromEntries(upload.columns.map((c) => [c, upload.suggestedMapping[c] ?? '']));

/** Fields chosen for more than one column. */
export function duplicateFields(matches: ColumnMatches): string[] {
  const seen: Record<string, number> = {};
  for (const f of Object.values(matches)) if (f) seen[f] = (seen[f] ?? 0) + 1;
  return Object.keys(seen).filter((f) => (seen[f] ?? 0) > 1);
}

/** What stops the matches from being imported, in sentences; empty when they can be. */
export function matchProblems(entity: ImportEntity, matches: ColumnMatches, label: LabelOf): string[] {
  const mapped = new Set(Object.values(matches).filter(Boolean));
  const problems: string[] = [];
  if (entity === 'clients' && !mapped.has('name')) problems.push('Match a column to Name: every client needs a name.');
  if (entity === 'contacts') {
    if (!mapped.has('firstName')) problems.push('Match a column to First name: every contact needs one.');
    if (!mapped.has('clientName') && !mapped.has('clientEmail')) {
      problems.push('Match a column to Client name or Client email, so each contact can be linked to its client.');
    }
  }
  for (const f of duplicateFields(matches)) problems.push(`${label(f)} is chosen for more than one column. Choose it once.`);
  return problems;
}

/** Whether the person changed the server's suggestion (its preview answers then no longer hold). */
export const matchesChanged = (upload: Pick<ImportCreated, 'columns' | 'suggestedMapping'>, matches: ColumnMatches): boolean =>
  upload.columns.some((c) => (matches[c] ?? '') !== (upload.suggestedMapping[c] ?? ''));

/** The first non-blank value of a column in the preview rows: the example the matching step shows. */
export function exampleValue(upload: Pick<ImportCreated, 'preview'>, column: string): string {
  for (const row of upload.preview) {
    const v = row.values[column];
    if (v && v.trim()) return v;
  }
  return '';
}

export interface PreviewColumn extends LabelledField {
  column: string;
}

/** Columns of the preview table: the matched fields, in the fields' order, each with its CSV column. */
export function previewColumns(fields: readonly LabelledField[], matches: ColumnMatches): PreviewColumn[] {
  const byField: Record<string, string> = {};
  for (const [column, field] of Object.entries(matches)) if (field && !(field in byField)) byField[field] = column;
  return fields.filter((f) => f.field in byField).map((f) => ({ ...f, column: byField[f.field] as string }));
}

export const cellValue = (row: ImportPreviewRow, column: string): string => row.values[column] ?? '';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BOOL = /^(true|false|yes|no|y|n|1|0|active|inactive)?$/i;

/**
 * A first look at a row under matches the person changed (the server checked the suggested ones):
 * the required fields and the obvious format errors. Every row is checked again during the import.
 */
function quickProblems(entity: ImportEntity, row: ImportPreviewRow, columns: PreviewColumn[], label: LabelOf): string[] {
  const value = (field: string): string => {
    const col = columns.find((c) => c.field === field);
    return col ? cellValue(row, col.column).trim() : '';
  };
  const problems: string[] = [];
  if (entity === 'clients' && !value('name')) problems.push('Name is required');
  if (entity === 'contacts') {
    if (!value('firstName')) problems.push('First name is required');
    if (!value('clientName') && !value('clientEmail')) problems.push('Client name or client email is required');
  }
  for (const f of ['email', 'clientEmail']) {
    const v = value(f);
    if (v && !EMAIL.test(v)) problems.push(`${label(f)} is not a valid email address`);
  }
  for (const f of ['isActive', 'isPrimary']) {
    const v = value(f);
    if (v && !BOOL.test(v)) problems.push(`${label(f)} must be yes or no`);
  }
  return problems;
}

/** What committing does to a row; `unknown` when the matches changed and only the server can tell. */
export type RowAction = ImportPreviewRow['action'] | 'unknown';

export interface PreviewLine {
  row: ImportPreviewRow;
  errors: string[];
  action: RowAction;
}

/** The preview's rows with their problems and fate, rows with problems first (then in file order). */
export function previewLines(entity: ImportEntity, upload: ImportCreated, matches: ColumnMatches, fields: readonly LabelledField[], label: LabelOf): PreviewLine[] {
  const changed = matchesChanged(upload, matches);
  const columns = previewColumns(fields, matches);
  return upload.preview
    .map((row) => {
      const errors = changed ? quickProblems(entity, row, columns, label) : row.errors;
      const action: RowAction = errors.length > 0 ? 'error' : changed ? 'unknown' : row.action;
      return { row, errors, action };
    })
    .sort((a, b) => Number(b.errors.length > 0) - Number(a.errors.length > 0) || a.row.row - b.row.row);
}

/** Only what the matching step lets through is sent: the columns that are imported. */
export const committedMapping = (matches: ColumnMatches): Record<string, string> => Object.fromEntries(Object.entries(matches).filter(([, f]) => f !== ''));

export const isFinished = (job: Pick<ImportJob, 'status'>): boolean => job.status === 'completed' || job.status === 'failed';

/** "3 rows processed: 2 unchanged (already up to date), 1 could not be imported.": every row accounted for. */
export function resultSummary(job: Pick<ImportJob, 'total' | 'created' | 'updated' | 'unchanged' | 'failed'>): string {
  const head = `${plural(job.total, 'row')} processed: `;
  if (job.failed === 0 && job.unchanged === 0 && job.updated === 0) return `${head}every row was imported.`;
  const parts = [
    [job.created, 'created'],
    [job.updated, 'updated'],
    [job.unchanged, 'unchanged (already up to date)'],
    [job.failed, 'could not be imported'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n.toLocaleString()} ${what}`);
  return `${head}${said.length ? `${said.join(', ')}.` : 'nothing to import.'}`;
}

const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One example row per entity, in the order of its importable fields. */
const sampleRows: Record<ImportEntity, string[]> = {
  clients: ['Acme Studio', 'hello@acme.example', '+44 20 7946 0000', 'https://acme.example', '1 High Street', '', 'London', '', 'SW1A 1AA', 'GB', 'GBP', 'GB123456789', 'yes'],
  contacts: ['Acme Studio', 'hello@acme.example', 'Ada', 'Lovelace', 'ada@acme.example', '+44 20 7946 0001', 'Producer', 'yes'],
};

/** A sample file: every column the importer knows, headed by its label, and one example row. */
export function sampleCsv(entity: ImportEntity, fields: readonly LabelledField[]): string {
  return [fields.map((f) => f.label), sampleRows[entity]].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
