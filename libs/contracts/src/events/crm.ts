import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { Client } from '../http/clients.js';
import { Contact } from '../http/contacts.js';
import { Note } from '../http/notes.js';

/**
 * Client events carry the whole client and a version that grows with every change, so a
 * replica can keep the newest state whatever order the events arrive in.
 */
export const ClientSnapshotPayload = z.object({
  /** The client the event is about, named at the top as every client-business event does (events.md); crm always sends it. */
  clientId: Uuid.optional(),
  client: Client,
  version: z.number().int().positive(),
  /** Updates from the API: the fields the update changed (`isActive`, `address.city`, …), so the timeline can say "Client deactivated". */
  changes: z.array(z.string()).optional(),
});
export type ClientSnapshotPayload = z.infer<typeof ClientSnapshotPayload>;

export const ClientDeletedPayload = z.object({ clientId: Uuid, name: z.string(), version: z.number().int().positive(), deletedAt: Timestamp });
export type ClientDeletedPayload = z.infer<typeof ClientDeletedPayload>;

/**
 * The version of a contact or note: it grows with every change of that entity, as a client's
 * does. Optional only because events published before it existed lack it; crm always sends it,
 * and a replica orders an event without it before every versioned one (see `versionOf`).
 */
const EntityVersion = z.number().int().positive().optional();

/** Contact and note events name their client, so the timeline files them under it. */
export const ContactPayload = z.object({ clientId: Uuid, contact: Contact, version: EntityVersion });
export type ContactPayload = z.infer<typeof ContactPayload>;
export const ContactDeletedPayload = z.object({ clientId: Uuid, contactId: Uuid, name: z.string(), version: EntityVersion, deletedAt: Timestamp.optional() });
export type ContactDeletedPayload = z.infer<typeof ContactDeletedPayload>;

/** `changes` (updates only): which fields the update changed, so the timeline can say "Note pinned". */
export const NoteChange = z.enum(['body', 'isPinned']);
export type NoteChange = z.infer<typeof NoteChange>;
export const NotePayload = z.object({ clientId: Uuid, note: Note, changes: z.array(NoteChange).optional(), version: EntityVersion });
export type NotePayload = z.infer<typeof NotePayload>;
export const NoteDeletedPayload = z.object({ clientId: Uuid, noteId: Uuid, version: EntityVersion });
export type NoteDeletedPayload = z.infer<typeof NoteDeletedPayload>;

/** An entity event's version; 0 for one published before contact and note events carried versions. */
export const versionOf = (payload: { version?: number | undefined }): number => payload.version ?? 0;

/**
 * Resync (events.md › Resync): crm republishes the current state of an agency's clients or
 * contacts, tombstones included, many per event. Replicas apply them like updates; the timeline
 * files nothing for them, as nothing happened to any client.
 */
export const ClientResyncPayload = z.object({ clients: z.array(ClientSnapshotPayload), deleted: z.array(ClientDeletedPayload) });
export type ClientResyncPayload = z.infer<typeof ClientResyncPayload>;
export const ContactResyncPayload = z.object({
  contacts: z.array(ContactPayload.extend({ version: z.number().int().positive() })),
  deleted: z.array(ContactDeletedPayload.extend({ version: z.number().int().positive() })),
});
export type ContactResyncPayload = z.infer<typeof ContactResyncPayload>;

/**
 * Bulk work (`events.md` › Bulk work): one event for one committed batch of a CSV import of
 * contacts. `contacts` holds every contact the batch created or changed (a demoted primary too),
 * each a whole snapshot with its own version (the shape of the single events and of a resync), so a replica applies it as it would the single
 * events; `clients` sums the batch per client (contacts created and updated from rows), which
 * the timeline adds up to one entry per client per import.
 */
export const ContactsImportedPayload = z.object({
  importId: Uuid,
  fileName: z.string().nullable(),
  contacts: z.array(ContactPayload.extend({ version: z.number().int().positive() })),
  clients: z.array(z.object({ clientId: Uuid, created: z.number().int().nonnegative(), updated: z.number().int().nonnegative() })),
});
export type ContactsImportedPayload = z.infer<typeof ContactsImportedPayload>;

export const crmEvents = {
  'crm.client.created.v1': ClientSnapshotPayload,
  'crm.client.updated.v1': ClientSnapshotPayload,
  'crm.client.deleted.v1': ClientDeletedPayload,
  'crm.contact.created.v1': ContactPayload,
  'crm.contact.updated.v1': ContactPayload,
  'crm.contact.deleted.v1': ContactDeletedPayload,
  'crm.contact.imported.v1': ContactsImportedPayload,
  'crm.note.created.v1': NotePayload,
  'crm.note.updated.v1': NotePayload,
  'crm.note.deleted.v1': NoteDeletedPayload,
  'crm.client.resync.v1': ClientResyncPayload,
  'crm.contact.resync.v1': ContactResyncPayload,
} as const;
