import type { ImportEntity, ImportPreviewRow } from '@atelier/contracts';
import type { TenantTx, Tx } from '@atelier/platform';
import { unescapeCell } from './csv-format.js';
import type { DataRow } from './csv-rows.js';
import type { BatchContext, BatchOutcome } from './import-batch.js';
import { applyClientRows } from './import-clients.js';
import { applyContactRows } from './import-contacts.js';
import { validateEntityRow, type ColumnMapping } from './import-fields.js';

type Action = ImportPreviewRow['action'];

class DryRun extends Error {}

const actionOf = (o: BatchOutcome): Action => (o.failures.length ? 'error' : o.created ? 'create' : o.updated ? 'update' : 'unchanged');

/** A constraint or data error of the database: the row cannot be saved (the job would record it so too). */
const isRowRefusal = (err: unknown) => {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = String(e?.code ?? e?.cause?.code ?? '');
  return code.startsWith('22') || code.startsWith('23');
};

/**
 * The preview: the first rows with what committing the file (with this mapping) would do to each
 * — create, update, leave unchanged, or refuse, with why. It runs the job's own row code on them,
 * one row after another as the job does (so a repeated row is an update of the first), inside a
 * savepoint that is always rolled back: nothing is written, no event is sent.
 */
export async function previewRows(
  tx: TenantTx,
  ctx: Omit<BatchContext, 'tx' | 'now'>,
  entity: ImportEntity,
  columns: string[],
  rows: DataRow[],
  mapping: ColumnMapping,
): Promise<ImportPreviewRow[]> {
  const apply = entity === 'clients' ? applyClientRows : applyContactRows;
  const outcomes = new Map<number, { action: Action; errors: string[] }>();
  try {
    // A savepoint is the transaction's own connection and agency: the tenant helpers carry over.
    const tenant = (inner: Tx): TenantTx => Object.assign(inner, { agencyId: tx.agencyId, pinAgency: tx.pinAgency, cursor: tx.cursor });
    await tx.transaction(async (dryTx) => {
      const dry = tenant(dryTx);
      const batch: BatchContext = { ...ctx, tx: dry, now: new Date() };
      for (const r of rows) {
        const checked = validateEntityRow(entity, r.cells, columns.length, mapping);
        if (!checked.ok) {
          outcomes.set(r.row, { action: 'error', errors: checked.errors });
          continue;
        }
        try {
          const outcome = await dry.transaction((row) => apply({ ...batch, tx: tenant(row) }, [r], columns.length, mapping));
          outcomes.set(r.row, { action: actionOf(outcome), errors: outcome.failures.map((f) => f.message) });
        } catch (err) {
          if (!isRowRefusal(err)) throw err;
          outcomes.set(r.row, { action: 'error', errors: [`could not be saved: ${(err as { cause?: Error }).cause?.message ?? (err as Error).message}`] });
        }
      }
      throw new DryRun();
    });
  } catch (err) {
    if (!(err instanceof DryRun)) throw err;
  }
  return rows.map((r) => {
    const { action, errors } = outcomes.get(r.row) ?? { action: 'error' as const, errors: ['was not checked'] };
    // As the job will read them: formula prefix removed, trimmed.
    const values = Object.fromEntries(columns.map((c, i) => [c, unescapeCell(r.cells[i] ?? '').trim()]));
    return { row: r.row, values, action, errors };
  });
}
