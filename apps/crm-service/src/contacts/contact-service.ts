import { and, asc, inArray, isNull, eq, sql } from 'drizzle-orm';
import type { CreateContactBody, UpdateContactBody } from '@atelier/contracts';
import { badRequest, conflict, notFound, type Principal, type Tx } from '@atelier/platform';
import { contacts } from '../db/schema.js';
import { contactChanged, contactDeleted } from './contact-events.js';
import { toContactColumns, type ContactRow } from './contact-mapper.js';
import { toE164 } from './contact-phone.js';
import { clientCountry, demotePrimary, hasContacts, lockClient } from './contact-primary.js';
import { findContact } from './contact-queries.js';

export async function createContact(tx: Tx, who: Principal, clientId: string, body: CreateContactBody): Promise<ContactRow> {
  const client = await lockClient(tx, clientId);
  if (!client) throw notFound('Client not found');
  // The first contact of a client becomes its primary unless the caller says otherwise.
  const isPrimary = body.isPrimary ?? !(await hasContacts(tx, clientId));
  const demoted = isPrimary ? await demotePrimary(tx, clientId) : [];
  const [row] = await tx
    .insert(contacts)
    .values({
      ...toContactColumns(body),
      firstName: body.firstName,
      agencyId: who.agencyId,
      clientId,
      phone: body.phone ?? null,
      phoneE164: toE164(body.phone, client.country),
      isPrimary,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  for (const d of demoted) await contactChanged(tx, who, 'crm.contact.updated.v1', d);
  await contactChanged(tx, who, 'crm.contact.created.v1', row);
  return row;
}

/**
 * Moving a contact (`clientId`) or making it primary locks the target client first (see
 * `lockClient`), then re-reads the contact under that lock. A moved contact is primary in its new
 * client only when the body says `isPrimary: true`; its old client is left without a primary.
 */
export async function updateContact(tx: Tx, who: Principal, id: string, body: UpdateContactBody): Promise<ContactRow> {
  let contact = await findContact(tx, id);
  if (!contact) throw notFound('Contact not found');
  const clientId = body.clientId ?? contact.clientId;
  const moving = clientId !== contact.clientId;
  let country: string | null | undefined;

  if (moving || body.isPrimary === true) {
    const client = await lockClient(tx, clientId);
    if (!client && moving) throw badRequest('The request body is invalid', [{ path: 'clientId', message: 'is not a client of this agency' }]);
    const locked = client ? await findContact(tx, id, { lock: true }) : undefined;
    if (!locked) throw notFound('Contact not found');
    if (locked.clientId !== contact.clientId) throw conflict('The contact was moved at the same time; try again');
    contact = locked;
    country = client?.country ?? null;
  }

  const cols = toContactColumns(body);
  if (moving) cols.clientId = clientId;
  if (moving || body.isPrimary !== undefined) cols.isPrimary = body.isPrimary === true;
  const demoted = cols.isPrimary && (moving || !contact.isPrimary) ? await demotePrimary(tx, clientId, id) : [];
  if (body.phone !== undefined || moving) {
    // The E.164 form depends on the client's country, so a move re-reads the number in the new one.
    const phone = body.phone !== undefined ? body.phone : contact.phone;
    if (country === undefined) country = await clientCountry(tx, clientId);
    cols.phone = phone;
    cols.phoneE164 = toE164(phone, country);
  }

  const [row] = await tx
    .update(contacts)
    .set({ ...cols, updatedAt: sql`now()` })
    .where(and(eq(contacts.id, id), isNull(contacts.deletedAt)))
    .returning();
  if (!row) throw notFound('Contact not found');
  for (const d of demoted) await contactChanged(tx, who, 'crm.contact.updated.v1', d);
  await contactChanged(tx, who, 'crm.contact.updated.v1', row);
  return row;
}

/** Soft delete. Deleting the primary leaves the client without one: we do not guess a successor. */
export async function deleteContact(tx: Tx, who: Principal, id: string): Promise<void> {
  const [row] = await tx
    .update(contacts)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(contacts.id, id), isNull(contacts.deletedAt)))
    .returning();
  if (!row) throw notFound('Contact not found');
  await contactDeleted(tx, who, row);
}

/** Soft-deletes the given contacts that exist in the agency; unknown ids are skipped. Returns how many were deleted. */
export async function bulkDeleteContacts(tx: Tx, who: Principal, ids: string[]): Promise<number> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  const live = and(inArray(contacts.id, unique), isNull(contacts.deletedAt));
  // Lock in id order so two overlapping bulk deletes cannot deadlock.
  await tx.select({ id: contacts.id }).from(contacts).where(live).orderBy(asc(contacts.id)).for('update');
  const rows = await tx.update(contacts).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(live).returning();
  for (const row of rows) await contactDeleted(tx, who, row);
  return rows.length;
}
