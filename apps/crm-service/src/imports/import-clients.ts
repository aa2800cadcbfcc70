import { randomUUID } from 'node:crypto';
import { and, asc, isNull, or, sql } from 'drizzle-orm';
import { clients } from '../db/schema.js';
import { toClientDto, type ClientRow } from '../clients/client-mapper.js';
import type { DataRow } from './csv-rows.js';
import { anyOf, emptyOutcome, envelope, jsonParam, uniq, type BatchContext, type BatchOutcome } from './import-batch.js';
import { validateClientRow, type ClientValues, type ColumnMapping } from './import-fields.js';

interface ClientState {
  row: ClientRow;
  isNew: boolean;
  /** An existing client this batch changed. */
  dirty: boolean;
}

const FIELDS = ['name', 'email', 'phone', 'website', 'addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country', 'currency', 'taxId', 'isActive'] as const;
type Field = (typeof FIELDS)[number];

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

const sameValue = (a: unknown, b: unknown) => a === b;

/** Applies the row's values to the client; true if anything changed. */
function applyValues(row: ClientRow, v: ClientValues): boolean {
  let changed = false;
  for (const f of FIELDS) {
    const value = v[f as Field];
    if (value === undefined) continue; // an empty cell leaves the field as it is
    if (!sameValue(row[f], value)) {
      (row as Record<Field, unknown>)[f] = value;
      changed = true;
    }
  }
  return changed;
}

function newClient(ctx: BatchContext): ClientRow {
  return {
    id: randomUUID(),
    agencyId: ctx.agencyId,
    name: '',
    email: null,
    phone: null,
    website: null,
    addressLine1: null,
    addressLine2: null,
    city: null,
    region: null,
    postalCode: null,
    country: null,
    currency: 'USD',
    taxId: null,
    isActive: true,
    version: 1,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    deletedAt: null,
  };
}

const asRecord = (r: ClientRow) => ({
  id: r.id,
  agency_id: r.agencyId,
  name: r.name,
  email: r.email,
  phone: r.phone,
  website: r.website,
  address_line1: r.addressLine1,
  address_line2: r.addressLine2,
  city: r.city,
  region: r.region,
  postal_code: r.postalCode,
  country: r.country,
  currency: r.currency,
  tax_id: r.taxId,
  is_active: r.isActive,
  version: r.version,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

const recordset = (rows: ClientRow[]) => sql`json_to_recordset(${jsonParam(rows.map(asRecord))}) as x(
  id uuid, agency_id uuid, name text, email text, phone text, website text, address_line1 text, address_line2 text,
  city text, region text, postal_code text, country text, currency text, tax_id text, is_active boolean, version integer,
  created_at timestamptz, updated_at timestamptz)`;

/**
 * Imports a batch of client rows: validates each, matches it to an existing client (or one created
 * earlier in the batch, so duplicate rows never duplicate a client), then writes all creations in
 * one INSERT and all changes in one UPDATE, with a created/updated event per client for the outbox.
 * A row that changes nothing is counted as unchanged and writes nothing.
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

  const emails = uniq(valid.map((v) => v.values.email));
  const names = uniq(valid.map((v) => v.values.name));
  // Locked: the versions we write and the events we send must follow exactly what is in the table.
  // Emails are stored lower-cased by every writer, so equality here is a case-insensitive match.
  const existing = await ctx.tx
    .select()
    .from(clients)
    .where(and(isNull(clients.deletedAt), or(anyOf(clients.name, names), anyOf(clients.email, emails))))
    .orderBy(asc(clients.createdAt), asc(clients.id))
    .for('update');

  const index = new ClientIndex();
  for (const row of existing) index.add({ row, isNew: false, dirty: false });
  const created: ClientState[] = [];
  const touched = new Set<ClientState>();

  for (const { row, values } of valid) {
    const match = index.match(values);
    if (match && 'error' in match) {
      out.failures.push({ row: row.row, message: match.error, cells: row.cells });
      continue;
    }
    if (match) {
      index.remove(match);
      const changed = applyValues(match.row, values);
      index.add(match);
      if (!changed) {
        out.unchanged++;
        continue;
      }
      out.updated++;
      if (!match.isNew && !match.dirty) {
        match.dirty = true;
        match.row.version += 1;
        match.row.updatedAt = ctx.now;
        touched.add(match);
      }
      continue;
    }
    const state: ClientState = { row: newClient(ctx), isNew: true, dirty: false };
    applyValues(state.row, values);
    index.add(state);
    created.push(state);
    out.created++;
  }

  if (created.length) {
    await ctx.tx.execute(sql`
      insert into ${clients} (id, agency_id, name, email, phone, website, address_line1, address_line2, city, region, postal_code,
        country, currency, tax_id, is_active, version, created_at, updated_at)
      select x.id, x.agency_id, x.name, x.email, x.phone, x.website, x.address_line1, x.address_line2, x.city, x.region, x.postal_code,
        x.country, x.currency, x.tax_id, x.is_active, x.version, x.created_at, x.updated_at
      from ${recordset(created.map((s) => s.row))}`);
  }
  const updated = [...touched].map((s) => s.row);
  if (updated.length) {
    await ctx.tx.execute(sql`
      update ${clients} c set name = x.name, email = x.email, phone = x.phone, website = x.website, address_line1 = x.address_line1,
        address_line2 = x.address_line2, city = x.city, region = x.region, postal_code = x.postal_code, country = x.country,
        currency = x.currency, tax_id = x.tax_id, is_active = x.is_active, version = x.version, updated_at = x.updated_at
      from ${recordset(updated)}
      where c.id = x.id`);
  }
  for (const s of created) out.events.push(envelope(ctx, 'crm.client.created.v1', { client: toClientDto(s.row), version: s.row.version }));
  for (const row of updated) out.events.push(envelope(ctx, 'crm.client.updated.v1', { client: toClientDto(row), version: row.version }));
  return out;
}
