import { z } from 'zod';
import { Timestamp, Uuid, listQuery, listResponse, optionalText, queryBoolean } from '../common.js';
import { optionalPhone } from '../phone.js';

export const Contact = z
  .object({
    id: Uuid,
    clientId: Uuid,
    firstName: z.string(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    /** As typed by the user. */
    phone: z.string().nullable(),
    /** E.164 form of `phone` when it could be parsed, else null. */
    phoneE164: z.string().nullable(),
    title: z.string().nullable(),
    isPrimary: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

const contactFields = {
  firstName: z.string().trim().min(1, 'is required').max(100),
  lastName: optionalText(100),
  email: z.email().max(254).nullable().optional(),
  phone: optionalPhone,
  title: optionalText(100),
  isPrimary: z.boolean().optional(),
};

export const CreateContactBody = z.object(contactFields).strict().meta({ id: 'CreateContactBody' });
export type CreateContactBody = z.infer<typeof CreateContactBody>;

export const UpdateContactBody = z
  .object({ ...contactFields, firstName: contactFields.firstName.optional(), clientId: Uuid.optional() })
  .strict()
  .meta({ id: 'UpdateContactBody' });
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const ContactSortField = ['lastName', 'firstName', 'email', 'createdAt'] as const;
export const ContactListQuery = listQuery(ContactSortField).extend({ clientId: Uuid.optional(), isPrimary: queryBoolean.optional() });
export type ContactListQuery = z.infer<typeof ContactListQuery>;
export const ContactList = listResponse(Contact);

/** Bulk delete from the contacts list (an addition to the contract). */
export const BulkDeleteContactsBody = z.object({ ids: z.array(Uuid).min(1).max(500) }).strict().meta({ id: 'BulkDeleteContactsBody' });
export type ContactSortField = (typeof ContactSortField)[number];
