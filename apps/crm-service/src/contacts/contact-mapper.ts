import type { Contact, CreateContactBody, UpdateContactBody } from '@atelier/contracts';
import type { contacts } from '../db/schema.js';

/** A contact as the code sees it: the search key is the database's business. */
export type ContactRow = Omit<typeof contacts.$inferSelect, 'searchKey'>;
export type ContactInsert = Partial<typeof contacts.$inferInsert>;

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
 * The plain fields present in the body: an absent field is left as it is, `null` clears it.
 * Phone, primary flag and client are left to the service: they depend on the client's country
 * and on the client's other contacts.
 */
export function toContactColumns(body: CreateContactBody | UpdateContactBody): ContactInsert {
  const cols: ContactInsert = {};
  if (body.firstName !== undefined) cols.firstName = body.firstName;
  if (body.lastName !== undefined) cols.lastName = body.lastName;
  if (body.email !== undefined) cols.email = body.email?.toLowerCase() ?? null;
  if (body.title !== undefined) cols.title = body.title;
  return cols;
}
