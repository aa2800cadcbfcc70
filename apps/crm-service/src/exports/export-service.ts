import { importFields, type ExportQuery, type ImportEntity } from '@atelier/contracts';
import { invalidField, tenantTx, type Db, type Principal } from '@atelier/platform';
import type { CsvSink } from './csv-stream.js';
import { exportableFields, exportRows, isExportableField } from './export-repository.js';

/** The fields `?fields=` asks for, in its order (the importable ones when absent); an unknown one is the request's error. */
export function exportFields(entity: ImportEntity, param: string | undefined): string[] {
  const requested = [...new Set((param ?? '').split(',').map((f) => f.trim()).filter(Boolean))];
  if (requested.length === 0) return [...importFields[entity]];
  const unknown = requested.filter((f) => !isExportableField(entity, f));
  if (unknown.length) {
    throw invalidField('export.unknown_field', 'query.fields', `unknown field ${unknown.join(', ')}; use ${exportableFields(entity).join(', ')}`);
  }
  return requested;
}

/**
 * Streams the agency's live clients or contacts with the list filters into `sink`, from one
 * snapshot (a consistent file even while others write), one cursor step in memory at a time.
 */
export async function exportEntity(db: Db, who: Principal, entity: ImportEntity, fields: string[], q: ExportQuery, sink: CsvSink): Promise<void> {
  await tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      for await (const rows of exportRows(tx, entity, fields, q)) await sink.rows(rows.map((row) => fields.map((f) => row[f])));
    },
    { mode: 'snapshot' },
  );
}
