import { randomUUID } from 'node:crypto';
import type { Contact, CreateContactBody, UpdateContactBody } from '@atelier/contracts';
import type { contacts } from '../db/schema.js';

/** A contact as the code sees it: the search key is the database's business. */
export type ContactRow = Omit<typeof contacts.$inferSelect, 'searchKey'>;
/** The plain fields of a contact a writer sets: undefined leaves one as it is, null clears it. */
export type ContactFields = Partial<Pick<ContactRow, 'firstName' | 'lastName' | 'email' | 'phone' | 'title'>>;

export const toContactDto = (row: ContactRow): Contact => ({
  id: row.id,
  clientId: row.clientId,
  firstName: row.firstName,
  lastName: row.lastName,
  email: row.email,
  phone: row.phone,
  phoneE164: row.phoneE164,
  title: row.title,
  isPrimary: row.isPrimary,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** "Jane Doe", or just "Jane" when there is no last name. */
export const contactName = (c: { firstName: string; lastName: string | null }): string => [c.firstName, c.lastName].filter(Boolean).join(' ');

/**
 * The plain fields present in the body (emails lower-cased, as every writer stores them). The
 * primary flag and client are the service's: they depend on the client's other contacts.
 */
export function toContactFields(body: CreateContactBody | UpdateContactBody): ContactFields {
  const fields: ContactFields = {};
  if (body.firstName !== undefined) fields.firstName = body.firstName;
  if (body.lastName !== undefined) fields.lastName = body.lastName;
  if (body.email !== undefined) fields.email = body.email?.toLowerCase() ?? null;
  if (body.phone !== undefined) fields.phone = body.phone;
  if (body.title !== undefined) fields.title = body.title;
  return fields;
}

/** A contact not yet stored, with the defaults every way of creating one shares (API and import). */
export const newContactRow = (agencyId: string, clientId: string, now: Date): ContactRow => ({
  id: randomUUID(),
  agencyId,
  clientId,
  firstName: '',
  lastName: null,
  email: null,
  phone: null,
  phoneE164: null,
  title: null,
  isPrimary: false,
  version: 1,
  createdAt: now,
  updatedAt: now,
  deletedAt: null,
});
