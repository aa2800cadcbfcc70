import type { Tx } from '@atelier/platform';
import { lockClientsById, type ClientRef } from '../clients/client-repository.js';
import { newContactRow, type ContactFields, type ContactRow } from './contact-mapper.js';
import { phoneParser, type PhoneParser } from './contact-phone.js';
import { insertContacts, selectPrimaryStates, updateContacts } from './contact-repository.js';

interface ClientState {
  client: ClientRef;
  hasContacts: boolean;
  primary: ContactRow | null;
}

export interface ContactBatchResult {
  created: ContactRow[];
  /** Existing contacts the batch changed, demoted primaries included. */
  updated: ContactRow[];
}

/**
 * The one place for the rules of writing contacts, for the API (a batch of one) and the CSV
 * import (a batch of thousands) alike, applied set-based:
 * - the clients are locked first (id order) and their current primaries read under that lock, so
 *   concurrent writes that make a contact primary run one after the other and never trip the
 *   one-primary index; lock order is always clients, then contacts, so they cannot deadlock;
 * - a client's first contact is its primary, whatever the caller said (every screen and the import
 *   alike: a client with contacts has a primary from the first one on);
 * - a contact made primary demotes the client's previous primary (which gets its own event);
 * - the E.164 form follows the phone and the client's country (re-read on a move);
 * - a changed contact gets one more version and the transaction's time, once per batch;
 * - writes go out as: demotions, then promotions and other changes, then new contacts, each one
 *   statement, so the one-primary index holds after every statement.
 */
export class ContactBatch {
  private readonly clients = new Map<string, ClientState>();
  /** Every existing contact the batch knows, by id, so two lookups of one contact share one object. */
  private readonly known = new Map<string, ContactRow>();
  private readonly created: ContactRow[] = [];
  private readonly isNew = new Set<ContactRow>();
  private readonly touched = new Set<ContactRow>();

  private constructor(
    private readonly agencyId: string,
    private readonly now: Date,
    private readonly phones: PhoneParser,
  ) {}

  /** Locks the live clients among `clientIds` and reads their primaries; a client not found is simply absent (`client()`). */
  static async open(tx: Tx, agencyId: string, clientIds: string[], now: Date, phones: PhoneParser = phoneParser): Promise<ContactBatch> {
    const batch = new ContactBatch(agencyId, now, phones);
    const ids = [...new Set(clientIds)];
    const locked = await lockClientsById(tx, ids);
    const { primaries, withContacts } = await selectPrimaryStates(
      tx,
      locked.map((c) => c.id),
    );
    for (const client of locked) batch.clients.set(client.id, { client, hasContacts: withContacts.has(client.id), primary: null });
    for (const row of primaries) {
      const state = batch.clients.get(row.clientId);
      if (state) state.primary = batch.adopt(row);
    }
    return batch;
  }

  client(id: string): ClientRef | undefined {
    return this.clients.get(id)?.client;
  }

  /** The batch's object for an existing contact read elsewhere (matching), so its changes and the primary rules see one row. */
  adopt(row: ContactRow): ContactRow {
    const known = this.known.get(row.id);
    if (known) return known;
    this.known.set(row.id, row);
    return row;
  }

  /** A new contact of a locked client: primary when `isPrimary` says so, and always when it is the client's first. */
  create(clientId: string, fields: ContactFields, isPrimary?: boolean): ContactRow {
    const state = this.state(clientId);
    const row = newContactRow(this.agencyId, clientId, this.now);
    this.applyFields(row, fields, state.client.country);
    this.created.push(row);
    this.isNew.add(row);
    if (isPrimary === true || !state.hasContacts) this.makePrimary(state, row);
    state.hasContacts = true;
    return row;
  }

  /**
   * Changes an existing contact (adopted, read under lock): its fields, a move to another locked
   * client (primary there only when `isPrimary` is true; its old client is left without one, we do
   * not guess a successor), and its primary flag. `touch` saves it even when nothing changed (an
   * API update is a write the caller asked for). Returns whether anything changed.
   */
  change(row: ContactRow, fields: ContactFields, options: { isPrimary?: boolean; moveTo?: string; touch?: boolean } = {}): boolean {
    const target = this.state(options.moveTo ?? row.clientId);
    let changed = false;
    if (options.moveTo && options.moveTo !== row.clientId) {
      const old = this.clients.get(row.clientId);
      if (old?.primary === row) old.primary = null;
      row.clientId = options.moveTo;
      row.isPrimary = false;
      // The E.164 form depends on the client's country, so a move reads the number again in the new one.
      row.phoneE164 = this.phones.toE164(row.phone, target.client.country);
      target.hasContacts = true;
      changed = true;
    }
    if (this.applyFields(row, fields, target.client.country)) changed = true;
    if (options.isPrimary === true && target.primary !== row) {
      this.makePrimary(target, row);
      changed = true;
    } else if (options.isPrimary === false && row.isPrimary) {
      row.isPrimary = false;
      target.primary = null;
      changed = true;
    }
    if (changed || options.touch) this.markTouched(row);
    return changed;
  }

  /** Writes the batch: demotions, then other changes, then new contacts. */
  async save(tx: Tx): Promise<ContactBatchResult> {
    const updated = [...this.touched];
    await updateContacts(
      tx,
      updated.filter((r) => !r.isPrimary),
    );
    await updateContacts(
      tx,
      updated.filter((r) => r.isPrimary),
    );
    await insertContacts(tx, this.created);
    return { created: [...this.created], updated };
  }

  private state(clientId: string): ClientState {
    const state = this.clients.get(clientId);
    if (!state) throw new Error(`client ${clientId} is not locked by this batch`);
    return state;
  }

  private makePrimary(state: ClientState, row: ContactRow): void {
    if (state.primary && state.primary !== row) {
      state.primary.isPrimary = false;
      this.markTouched(state.primary);
    }
    row.isPrimary = true;
    state.primary = row;
  }

  /** A changed contact's next state: one more version, touched now; once per batch however often it changes in it. */
  private markTouched(row: ContactRow): void {
    if (this.isNew.has(row) || this.touched.has(row)) return;
    row.version += 1;
    row.updatedAt = this.now;
    this.touched.add(row);
  }

  /** Applies the fields that differ (the phone with its E.164 form); true if anything changed. */
  private applyFields(row: ContactRow, fields: ContactFields, country: string | null): boolean {
    let changed = false;
    for (const key of ['firstName', 'lastName', 'email', 'title'] as const) {
      const value = fields[key];
      if (value === undefined || row[key] === value) continue;
      (row as Record<typeof key, unknown>)[key] = value;
      changed = true;
    }
    if (fields.phone !== undefined && fields.phone !== row.phone) {
      row.phone = fields.phone;
      row.phoneE164 = this.phones.toE164(fields.phone, country);
      changed = true;
    }
    return changed;
  }
}
