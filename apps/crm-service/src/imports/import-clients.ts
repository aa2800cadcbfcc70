import { applyClientColumns, newClientRow, type ClientRow } from '../clients/client-mapper.js';
import { selectClientsByNameOrEmail } from '../clients/client-repository.js';
import { bumpClient, saveClients } from '../clients/client-service.js';
import type { DataRow } from './csv-rows.js';
import { emptyOutcome, uniq, type BatchContext, type BatchOutcome } from './import-batch.js';
import { validateClientRow, type ClientValues, type ColumnMapping } from './import-fields.js';

interface ClientState {
  row: ClientRow;
  isNew: boolean;
  /** An existing client this batch changed. */
  dirty: boolean;
}

/** Clients by email (lower-cased) and by exact name: live rows of the agency and those this batch creates. */
class ClientIndex {
  private readonly byEmail = new Map<string, ClientState>();
  private readonly byName = new Map<string, ClientState[]>();

  add(s: ClientState) {
    const email = s.row.email?.toLowerCase();
    if (email && !this.byEmail.has(email)) this.byEmail.set(email, s); // the oldest wins if the agency has duplicates
    const list = this.byName.get(s.row.name);
    if (list) list.push(s);
    else this.byName.set(s.row.name, [s]);
  }

  remove(s: ClientState) {
    const email = s.row.email?.toLowerCase();
    if (email && this.byEmail.get(email) === s) this.byEmail.delete(email);
    const list = this.byName.get(s.row.name)?.filter((x) => x !== s);
    if (list?.length) this.byName.set(s.row.name, list);
    else this.byName.delete(s.row.name);
  }

  /**
   * The client a row updates: the one with its email; failing that, the one with its exact name
   * (when the row has an email, only a client that has none, so a client first entered without
   * an email is completed rather than duplicated). Two candidates by name is an error: updating
   * either could be wrong.
   */
  match(v: ClientValues): ClientState | { error: string } | null {
    if (v.email) {
      const byEmail = this.byEmail.get(v.email);
      if (byEmail) return byEmail;
    }
    const named = (this.byName.get(v.name ?? '') ?? []).filter((s) => !v.email || !s.row.email);
    if (named.length === 1) return named[0] ?? null;
    if (named.length > 1) {
      return { error: `${named.length} clients are named "${v.name}"${v.email ? ' and have no email' : ''}; add an email to the row to say which one it is` };
    }
    return null;
  }
}

/**
 * Imports a batch of client rows: validates each, matches it to an existing client (or one created
 * earlier in the batch, so duplicate rows never duplicate a client), then saves them through the
 * clients' own set-based write (`saveClients`: one INSERT, one UPDATE, an event per client), with
 * the defaults (`newClientRow`) and version bumps (`bumpClient`) of the API. A row that changes
 * nothing is counted as unchanged and writes nothing.
 */
export async function applyClientRows(ctx: BatchContext, rows: DataRow[], columnCount: number, mapping: ColumnMapping): Promise<BatchOutcome> {
  const out = emptyOutcome();
  const valid: { row: DataRow; values: ClientValues }[] = [];
  for (const row of rows) {
    const result = validateClientRow(row.cells, columnCount, mapping);
    if (result.ok) valid.push({ row, values: result.values });
    else out.failures.push({ row: row.row, message: result.errors.join('; '), cells: row.cells });
  }
  if (valid.length === 0) return out;

  // Locked: the versions we write and the events we send must follow exactly what is in the table.
  const existing = await selectClientsByNameOrEmail(ctx.tx, uniq(valid.map((v) => v.values.name)), uniq(valid.map((v) => v.values.email)));
  const index = new ClientIndex();
  for (const row of existing) index.add({ row, isNew: false, dirty: false });
  const created: ClientState[] = [];
  const touched: ClientRow[] = [];

  for (const { row, values } of valid) {
    const match = index.match(values);
    if (match && 'error' in match) {
      out.failures.push({ row: row.row, message: match.error, cells: row.cells });
      continue;
    }
    const state: ClientState = match ?? { row: newClientRow(ctx.agencyId, ctx.now), isNew: true, dirty: false };
    if (match) index.remove(match);
    const changed = applyClientColumns(state.row, values);
    index.add(state);
    if (!match) {
      created.push(state);
      out.created++;
    } else if (!changed) {
      out.unchanged++;
    } else {
      out.updated++;
      if (!state.isNew && !state.dirty) {
        state.dirty = true;
        bumpClient(state.row, ctx.now);
        touched.push(state.row);
      }
    }
  }

  await saveClients(ctx.tx, { agencyId: ctx.agencyId, userId: ctx.actorId }, { created: created.map((s) => s.row), updated: touched });
  return out;
}
