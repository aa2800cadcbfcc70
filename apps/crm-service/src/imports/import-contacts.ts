import { writeEvents, type EventToWrite, type Tx } from '@atelier/platform';
import { selectClientRefsByNameOrEmail, type ClientRef } from '../clients/client-repository.js';
import { ContactBatch } from '../contacts/contact-batch.js';
import { toContactDto, type ContactFields, type ContactRow } from '../contacts/contact-mapper.js';
import { PhoneCache } from '../contacts/contact-phone.js';
import { selectContactsByKeys, type ContactKeys } from '../contacts/contact-repository.js';
import { outbox } from '../db/schema.js';
import type { DataRow } from './csv-rows.js';
import { emptyOutcome, uniq, type BatchContext, type BatchOutcome } from './import-batch.js';
import { validateContactRow, type ColumnMapping, type ContactValues } from './import-fields.js';

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

  /** Loads the clients a set of rows refers to (not locked: `ContactBatch` locks the ones rows resolve to, in id order). */
  static async load(tx: Tx, values: ContactValues[]): Promise<ClientDirectory> {
    return new ClientDirectory(await selectClientRefsByNameOrEmail(tx, uniq(values.map((v) => v.clientName)), uniq(values.map((v) => v.clientEmail))));
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

const emailKey = (clientId: string, email: string) => `${clientId}\u0000${email}`;
const nameKey = (clientId: string, first: string, last: string | null | undefined) => `${clientId}\u0000${first}\u0000${last ?? ''}`;

/** The contacts rows can match: existing ones read under lock, and those created earlier in the batch. */
class ContactIndex {
  private readonly byEmail = new Map<string, ContactRow>();
  private readonly byName = new Map<string, ContactRow[]>();

  add(row: ContactRow) {
    const email = row.email?.toLowerCase();
    if (email) {
      const key = emailKey(row.clientId, email);
      if (!this.byEmail.has(key)) this.byEmail.set(key, row);
    }
    const key = nameKey(row.clientId, row.firstName, row.lastName);
    const list = this.byName.get(key);
    if (list) list.push(row);
    else this.byName.set(key, [row]);
  }

  remove(row: ContactRow) {
    const email = row.email?.toLowerCase();
    if (email && this.byEmail.get(emailKey(row.clientId, email)) === row) this.byEmail.delete(emailKey(row.clientId, email));
    const key = nameKey(row.clientId, row.firstName, row.lastName);
    const list = this.byName.get(key)?.filter((x) => x !== row);
    if (list?.length) this.byName.set(key, list);
    else this.byName.delete(key);
  }

  /** The client's contact with the row's email; failing that, with its first and last name (and, when the row has an email, none). */
  match(clientId: string, v: ContactValues): ContactRow | { error: string } | null {
    if (v.email) {
      const row = this.byEmail.get(emailKey(clientId, v.email));
      if (row) return row;
    }
    const named = (this.byName.get(nameKey(clientId, v.firstName ?? '', v.lastName)) ?? []).filter((row) => !v.email || !row.email);
    if (named.length === 1) return named[0] ?? null;
    if (named.length > 1) return { error: `the client has ${named.length} contacts named "${[v.firstName, v.lastName].filter(Boolean).join(' ')}"; add an email to say which one` };
    return null;
  }
}

/** The (client, email) and (client, name) keys the rows look up, so only those contacts are read and locked. */
function keysOf(linked: { clientId: string; values: ContactValues }[]): ContactKeys {
  const emails = new Map<string, ContactKeys['emails'][number]>();
  const names = new Map<string, ContactKeys['names'][number]>();
  for (const { clientId, values: v } of linked) {
    if (v.email) emails.set(emailKey(clientId, v.email), { clientId, email: v.email });
    // A row with an email falls back to a name only among contacts without one, so a name only
    // such rows use matches only those.
    const key = nameKey(clientId, v.firstName ?? '', v.lastName);
    const known = names.get(key);
    if (known) known.withEmailToo ||= !v.email;
    else names.set(key, { clientId, lastName: v.lastName ?? null, firstName: v.firstName ?? '', withEmailToo: !v.email });
  }
  return { emails: [...emails.values()], names: [...names.values()] };
}

const fieldsOf = (v: ContactValues): ContactFields => ({ firstName: v.firstName, lastName: v.lastName, email: v.email, phone: v.phone, title: v.title });

/**
 * Imports a batch of contact rows: each is linked to its client (by client email or name; an
 * unknown client is the row's error), matched to that client's contacts by email or name (or a
 * contact created earlier in the batch), and created or updated through `ContactBatch`, the rules
 * the contacts API writes with: the first contact of a client becomes its primary unless the row
 * says otherwise, a new primary demotes the old one, versions and times move once per batch.
 * The batch is one `crm.contact.imported.v1` event carrying every snapshot it wrote.
 */
export async function applyContactRows(ctx: BatchContext, rows: DataRow[], columnCount: number, mapping: ColumnMapping): Promise<BatchOutcome> {
  const out = emptyOutcome();
  const valid: { row: DataRow; values: ContactValues }[] = [];
  for (const row of rows) {
    const result = validateContactRow(row.cells, columnCount, mapping);
    if (result.ok) valid.push({ row, values: result.values });
    else out.failures.push({ row: row.row, message: result.errors.join('; '), cells: row.cells });
  }
  if (valid.length === 0) return out;

  const directory = await ClientDirectory.load(
    ctx.tx,
    valid.map((v) => v.values),
  );
  const resolved: { row: DataRow; values: ContactValues; clientId: string }[] = [];
  for (const v of valid) {
    const client = directory.resolve(v.values);
    if ('error' in client) out.failures.push({ row: v.row.row, message: client.error, cells: v.row.cells });
    else resolved.push({ ...v, clientId: client.id });
  }
  if (resolved.length === 0) return out;

  const batch = await ContactBatch.open(
    ctx.tx,
    ctx.agencyId,
    resolved.map((r) => r.clientId),
    ctx.now,
    ctx.phones ?? new PhoneCache(),
  );
  const linked = resolved.filter((r) => {
    if (batch.client(r.clientId)) return true;
    out.failures.push({ row: r.row.row, message: 'the client was deleted while the file was imported', cells: r.row.cells });
    return false;
  });
  const index = new ContactIndex();
  for (const row of await selectContactsByKeys(ctx.tx, ctx.agencyId, keysOf(linked))) index.add(batch.adopt(row));

  const perClient = new Map<string, { created: number; updated: number }>();
  const count = (clientId: string, kind: 'created' | 'updated') => {
    const c = perClient.get(clientId) ?? { created: 0, updated: 0 };
    c[kind]++;
    perClient.set(clientId, c);
  };
  for (const { row, values, clientId } of linked) {
    const match = index.match(clientId, values);
    if (match && 'error' in match) {
      out.failures.push({ row: row.row, message: match.error, cells: row.cells });
      continue;
    }
    if (!match) {
      index.add(batch.create(clientId, fieldsOf(values), values.isPrimary));
      out.created++;
      count(clientId, 'created');
      continue;
    }
    index.remove(match);
    const changed = batch.change(match, fieldsOf(values), { isPrimary: values.isPrimary });
    index.add(match);
    if (changed) {
      out.updated++;
      count(clientId, 'updated');
    } else out.unchanged++;
  }

  const saved = await batch.save(ctx.tx);
  const snapshots = [...saved.updated, ...saved.created];
  if (snapshots.length) {
    const event: EventToWrite<'crm.contact.imported.v1'> = {
      name: 'crm.contact.imported.v1',
      agencyId: ctx.agencyId,
      actorId: ctx.actorId,
      payload: {
        importId: ctx.job.id,
        fileName: ctx.job.fileName,
        contacts: snapshots.map((row) => ({ clientId: row.clientId, contact: toContactDto(row), version: row.version })),
        clients: [...perClient].map(([clientId, c]) => ({ clientId, ...c })),
      },
    };
    await writeEvents(ctx.tx, outbox, [event]);
  }
  return out;
}
