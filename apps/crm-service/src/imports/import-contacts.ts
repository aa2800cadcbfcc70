import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { clients, contacts } from '../db/schema.js';
import type { ClientRow } from '../clients/client-mapper.js';
import { toContactDto, type ContactRow } from '../contacts/contact-mapper.js';
import { toE164 } from '../contacts/contact-phone.js';
import type { DataRow } from './csv-rows.js';
import { anyOf, emptyOutcome, envelope, jsonParam, uniq, type BatchContext, type BatchOutcome } from './import-batch.js';
import { validateContactRow, type ColumnMapping, type ContactValues } from './import-fields.js';

type ClientRef = Pick<ClientRow, 'id' | 'name' | 'email' | 'country'>;

/** The agency's live clients that the rows name, by email (lower-cased) and by exact name. */
export class ClientDirectory {
  private readonly byEmail = new Map<string, ClientRef>();
  private readonly byName = new Map<string, ClientRef[]>();

  constructor(rows: ClientRef[]) {
    for (const c of rows) {
      const email = c.email?.toLowerCase();
      if (email && !this.byEmail.has(email)) this.byEmail.set(email, c);
      const list = this.byName.get(c.name);
      if (list) list.push(c);
      else this.byName.set(c.name, [c]);
    }
  }

  /** Loads the clients a set of rows refers to; `lock` takes them FOR UPDATE (client before contacts, as the contacts API does). */
  static async load(tx: Tx, values: ContactValues[], lock: boolean): Promise<ClientDirectory> {
    const emails = uniq(values.map((v) => v.clientEmail));
    const names = uniq(values.map((v) => v.clientName));
    if (emails.length === 0 && names.length === 0) return new ClientDirectory([]);
    const where = and(isNull(clients.deletedAt), or(anyOf(clients.name, names), anyOf(clients.email, emails)));
    const q = tx.select({ id: clients.id, name: clients.name, email: clients.email, country: clients.country }).from(clients).where(where).orderBy(asc(clients.createdAt), asc(clients.id));
    return new ClientDirectory(lock ? await q.for('update') : await q);
  }

  /** The contact's client: by client email, else by client name; unknown or ambiguous is the row's error. */
  resolve(v: ContactValues): ClientRef | { error: string } {
    if (v.clientEmail) {
      const c = this.byEmail.get(v.clientEmail);
      if (c) return c;
      if (!v.clientName) return { error: `clientEmail: no client has the email "${v.clientEmail}"` };
    }
    const named = this.byName.get(v.clientName ?? '') ?? [];
    if (named.length === 1 && named[0]) return named[0];
    if (named.length > 1) return { error: `clientName: ${named.length} clients are named "${v.clientName}"; add clientEmail to say which one` };
    return { error: v.clientEmail ? `no client has the email "${v.clientEmail}" or the name "${v.clientName}"` : `clientName: no client is named "${v.clientName}"` };
  }
}

interface ContactState {
  row: ContactRow;
  isNew: boolean;
  dirty: boolean;
}

interface ClientContacts {
  client: ClientRef;
  hasContacts: boolean;
  primary: ContactState | null;
}

const emailKey = (clientId: string, email: string) => `${clientId}\u0000${email}`;
const nameKey = (clientId: string, first: string, last: string | null | undefined) => `${clientId}\u0000${first}\u0000${last ?? ''}`;

class ContactIndex {
  private readonly byEmail = new Map<string, ContactState>();
  private readonly byName = new Map<string, ContactState[]>();

  add(s: ContactState) {
    const email = s.row.email?.toLowerCase();
    if (email) {
      const key = emailKey(s.row.clientId, email);
      if (!this.byEmail.has(key)) this.byEmail.set(key, s);
    }
    const key = nameKey(s.row.clientId, s.row.firstName, s.row.lastName);
    const list = this.byName.get(key);
    if (list) list.push(s);
    else this.byName.set(key, [s]);
  }

  remove(s: ContactState) {
    const email = s.row.email?.toLowerCase();
    if (email && this.byEmail.get(emailKey(s.row.clientId, email)) === s) this.byEmail.delete(emailKey(s.row.clientId, email));
    const key = nameKey(s.row.clientId, s.row.firstName, s.row.lastName);
    const list = this.byName.get(key)?.filter((x) => x !== s);
    if (list?.length) this.byName.set(key, list);
    else this.byName.delete(key);
  }

  /** The client's contact with the row's email; failing that, with its first and last name (and, when the row has an email, none). */
  match(clientId: string, v: ContactValues): ContactState | { error: string } | null {
    if (v.email) {
      const s = this.byEmail.get(emailKey(clientId, v.email));
      if (s) return s;
    }
    const named = (this.byName.get(nameKey(clientId, v.firstName ?? '', v.lastName)) ?? []).filter((s) => !v.email || !s.row.email);
    if (named.length === 1) return named[0] ?? null;
    if (named.length > 1) return { error: `the client has ${named.length} contacts named "${[v.firstName, v.lastName].filter(Boolean).join(' ')}"; add an email to say which one` };
    return null;
  }
}

function newContact(ctx: BatchContext, clientId: string): ContactRow {
  return {
    id: randomUUID(),
    agencyId: ctx.agencyId,
    clientId,
    firstName: '',
    lastName: null,
    email: null,
    phone: null,
    phoneE164: null,
    title: null,
    isPrimary: false,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    deletedAt: null,
  };
}

/**
 * `toE164` results of one job by (phone, country): a file repeats the same few numbers and
 * countries, and parsing is the dearest step of a row. Bounded; the oldest entry goes first.
 */
export class PhoneCache {
  private readonly map = new Map<string, string | null>();

  constructor(private readonly max = 10_000) {}

  toE164(phone: string, country: string | null): string | null {
    const key = `${country ?? ''}\u0000${phone}`;
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = toE164(phone, country);
    if (this.map.size >= this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
    return value;
  }
}

/** Applies the row's plain values (not the primary flag); true if anything changed. */
function applyValues(row: ContactRow, v: ContactValues, country: string | null, phones: Pick<PhoneCache, 'toE164'>): boolean {
  let changed = false;
  const set = <K extends 'firstName' | 'lastName' | 'email' | 'title' | 'phone'>(k: K, value: ContactRow[K] | undefined) => {
    if (value === undefined || row[k] === value) return;
    row[k] = value;
    changed = true;
  };
  set('firstName', v.firstName);
  set('lastName', v.lastName);
  set('email', v.email);
  set('title', v.title);
  if (v.phone !== undefined && v.phone !== row.phone) {
    row.phone = v.phone;
    row.phoneE164 = phones.toE164(v.phone, country);
    changed = true;
  }
  return changed;
}

const asRecord = (r: ContactRow) => ({
  id: r.id,
  agency_id: r.agencyId,
  client_id: r.clientId,
  first_name: r.firstName,
  last_name: r.lastName,
  email: r.email,
  phone: r.phone,
  phone_e164: r.phoneE164,
  title: r.title,
  is_primary: r.isPrimary,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

const recordset = (rows: ContactRow[]) => sql`json_to_recordset(${jsonParam(rows.map(asRecord))}) as x(
  id uuid, agency_id uuid, client_id uuid, first_name text, last_name text, email text, phone text, phone_e164 text, title text,
  is_primary boolean, created_at timestamptz, updated_at timestamptz)`;

const updateContacts = (tx: Tx, rows: ContactRow[]) =>
  tx.execute(sql`
    update ${contacts} c set first_name = x.first_name, last_name = x.last_name, email = x.email, phone = x.phone,
      phone_e164 = x.phone_e164, title = x.title, is_primary = x.is_primary, updated_at = x.updated_at
    from ${recordset(rows)}
    where c.id = x.id`);

/** `unnest` of parallel arrays as a relation of keys (one parameter per column, however many keys). */
const keyRelation = (columns: { name: string; type: 'uuid' | 'text'; values: (string | null)[] }[]) =>
  sql`unnest(${sql.join(
    columns.map((c) => sql`${sql.param(c.values)}::${sql.raw(c.type)}[]`),
    sql`, `,
  )}) as k(${sql.raw(columns.map((c) => c.name).join(', '))})`;

/**
 * The existing live contacts a batch may match and the current primaries of its clients, locked
 * (the clients themselves are locked by `ClientDirectory.load`, as the contacts API does, so no
 * contact of theirs can appear or change meanwhile). Only the exact keys the rows look up are read
 * and locked: (client, email) for rows with an email, and (client, last name, first name) for every
 * row; a row with an email falls back to a name only among contacts without one, so a name only
 * such rows use matches only those. Emails are stored lower-cased by every writer (API and import),
 * so equality on the stored value is a case-insensitive match. Each key set is an
 * `in (select unnest ...)` under one `or`, which the planner hashes once and probes per live
 * contact of the agency: linear in the agency's contacts and the batch whatever the plan (generic
 * or custom) and whatever the planner believes of the table's size (it grows during an import).
 * `= any(array)` filters (searched per row in a generic plan) or joins on the keys (a nested loop
 * over every contact of a common name) can turn quadratic. The rows come in creation
 * order, as the index's "first contact with this email" relies on.
 */
async function loadContacts(tx: Tx, agencyId: string, clientIds: string[], keys: { clientId: string; values: ContactValues }[]) {
  const emailKeys = new Map<string, { clientId: string; email: string }>();
  const names = new Map<string, { clientId: string; lastName: string | null; firstName: string; anyEmail: boolean }>();
  for (const { clientId, values: v } of keys) {
    if (v.email) emailKeys.set(emailKey(clientId, v.email), { clientId, email: v.email });
    const key = nameKey(clientId, v.firstName ?? '', v.lastName);
    const known = names.get(key);
    if (known) known.anyEmail ||= !v.email;
    else names.set(key, { clientId, lastName: v.lastName ?? null, firstName: v.firstName ?? '', anyEmail: !v.email });
  }
  const conditions: SQL[] = [
    sql`(${contacts.isPrimary} and ${contacts.clientId} in (select * from ${keyRelation([{ name: 'client_id', type: 'uuid', values: clientIds }])}))`,
  ];
  if (emailKeys.size) {
    const ks = [...emailKeys.values()];
    conditions.push(sql`(${contacts.clientId}, ${contacts.email}) in (select * from ${keyRelation([
      { name: 'client_id', type: 'uuid', values: ks.map((k) => k.clientId) },
      { name: 'email', type: 'text', values: ks.map((k) => k.email) },
    ])})`);
  }
  for (const anyEmail of [true, false]) {
    const onlyWithoutEmail = anyEmail ? sql`` : sql`${contacts.email} is null and `;
    const full = [...names.values()].filter((k) => k.anyEmail === anyEmail && k.lastName !== null);
    if (full.length) {
      conditions.push(sql`(${onlyWithoutEmail}(${contacts.clientId}, ${contacts.lastName}, ${contacts.firstName}) in (select * from ${keyRelation([
          { name: 'client_id', type: 'uuid', values: full.map((k) => k.clientId) },
          { name: 'last_name', type: 'text', values: full.map((k) => k.lastName) },
          { name: 'first_name', type: 'text', values: full.map((k) => k.firstName) },
        ])}))`);
    }
    const firstOnly = [...names.values()].filter((k) => k.anyEmail === anyEmail && k.lastName === null);
    if (firstOnly.length) {
      conditions.push(sql`(${onlyWithoutEmail}${contacts.lastName} is null and (${contacts.clientId}, ${contacts.firstName}) in (select * from ${keyRelation([
          { name: 'client_id', type: 'uuid', values: firstOnly.map((k) => k.clientId) },
          { name: 'first_name', type: 'text', values: firstOnly.map((k) => k.firstName) },
        ])}))`);
    }
  }
  const rows = await tx
    .select(contactColumns)
    .from(contacts)
    .where(and(eq(contacts.agencyId, agencyId), isNull(contacts.deletedAt), or(...conditions)))
    .orderBy(asc(contacts.createdAt), asc(contacts.id))
    .for('update');
  const withContacts = await tx.execute<{ id: string }>(sql`
    select k.id from unnest(${sql.param(clientIds)}::uuid[]) as k(id)
    where exists (select 1 from ${contacts} c where c.agency_id = ${agencyId} and c.client_id = k.id and c.deleted_at is null)`);
  return { rows: rows.map((r): ContactRow => ({ ...r, agencyId, deletedAt: null })), withContacts: new Set(withContacts.map((r) => r.id)) };
}

/** The columns the import reads: all but the agency (the batch's) and the deletion time (live contacts only). */
const contactColumns = {
  id: contacts.id,
  clientId: contacts.clientId,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  email: contacts.email,
  phone: contacts.phone,
  phoneE164: contacts.phoneE164,
  title: contacts.title,
  isPrimary: contacts.isPrimary,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
};

/**
 * Imports a batch of contact rows: each is linked to its client (by client email or name; an
 * unknown client is the row's error), matched to that client's contacts by email or name (or a
 * contact created earlier in the batch), and created or updated. A row that makes a contact
 * primary demotes the client's previous primary in the same transaction; a new contact of a client
 * without contacts becomes its primary unless the row says otherwise, as in the contacts API.
 */
export async function applyContactRows(ctx: BatchContext, rows: DataRow[], columnCount: number, mapping: ColumnMapping): Promise<BatchOutcome> {
  const out = emptyOutcome();
  const phones = ctx.phones ?? new PhoneCache();
  const valid: { row: DataRow; values: ContactValues }[] = [];
  for (const row of rows) {
    const result = validateContactRow(row.cells, columnCount, mapping);
    if (result.ok) valid.push({ row, values: result.values });
    else out.failures.push({ row: row.row, message: result.errors.join('; '), cells: row.cells });
  }
  if (valid.length === 0) return out;

  const directory = await ClientDirectory.load(ctx.tx, valid.map((v) => v.values), true);
  const linked: { row: DataRow; values: ContactValues; client: ClientRef }[] = [];
  for (const v of valid) {
    const client = directory.resolve(v.values);
    if ('error' in client) out.failures.push({ row: v.row.row, message: client.error, cells: v.row.cells });
    else linked.push({ ...v, client });
  }
  if (linked.length === 0) return out;

  const clientIds = uniq(linked.map((l) => l.client.id));
  const existing = await loadContacts(ctx.tx, ctx.agencyId, clientIds, linked.map((l) => ({ clientId: l.client.id, values: l.values })));
  const index = new ContactIndex();
  const perClient = new Map<string, ClientContacts>();
  for (const l of linked) {
    if (!perClient.has(l.client.id)) perClient.set(l.client.id, { client: l.client, hasContacts: existing.withContacts.has(l.client.id), primary: null });
  }
  for (const row of existing.rows) {
    const s: ContactState = { row, isNew: false, dirty: false };
    index.add(s);
    const cc = perClient.get(row.clientId);
    if (row.isPrimary && cc) cc.primary = s;
  }

  const created: ContactState[] = [];
  const touched = new Set<ContactState>();
  const markChanged = (s: ContactState) => {
    if (s.isNew || s.dirty) return;
    s.dirty = true;
    s.row.updatedAt = ctx.now;
    touched.add(s);
  };

  for (const { row, values, client } of linked) {
    const cc = perClient.get(client.id);
    if (!cc) continue;
    const match = index.match(client.id, values);
    if (match && 'error' in match) {
      out.failures.push({ row: row.row, message: match.error, cells: row.cells });
      continue;
    }
    const state: ContactState = match ?? { row: newContact(ctx, client.id), isNew: true, dirty: false };
    if (match) index.remove(match);
    let changed = applyValues(state.row, values, client.country, phones);
    index.add(state);

    const wantPrimary = values.isPrimary ?? (state.isNew && !cc.hasContacts ? true : undefined);
    if (wantPrimary === true && cc.primary !== state) {
      if (cc.primary) {
        cc.primary.row.isPrimary = false;
        markChanged(cc.primary);
      }
      state.row.isPrimary = true;
      cc.primary = state;
      changed = true;
    } else if (wantPrimary === false && state.row.isPrimary) {
      state.row.isPrimary = false;
      cc.primary = null;
      changed = true;
    }

    if (!match) {
      created.push(state);
      cc.hasContacts = true;
      out.created++;
    } else if (changed) {
      markChanged(state);
      out.updated++;
    } else out.unchanged++;
  }

  // Demotions first, then promotions, then new contacts: the one-primary index holds after every statement.
  const updated = [...touched].map((s) => s.row);
  const demoted = updated.filter((r) => !r.isPrimary);
  const promoted = updated.filter((r) => r.isPrimary);
  if (demoted.length) await updateContacts(ctx.tx, demoted);
  if (promoted.length) await updateContacts(ctx.tx, promoted);
  if (created.length) {
    await ctx.tx.execute(sql`
      insert into ${contacts} (id, agency_id, client_id, first_name, last_name, email, phone, phone_e164, title, is_primary, created_at, updated_at)
      select x.id, x.agency_id, x.client_id, x.first_name, x.last_name, x.email, x.phone, x.phone_e164, x.title, x.is_primary, x.created_at, x.updated_at
      from ${recordset(created.map((s) => s.row))}`);
  }
  for (const s of created) out.events.push(envelope(ctx, 'crm.contact.created.v1', { clientId: s.row.clientId, contact: toContactDto(s.row) }));
  for (const row of updated) out.events.push(envelope(ctx, 'crm.contact.updated.v1', { clientId: row.clientId, contact: toContactDto(row) }));
  return out;
}
