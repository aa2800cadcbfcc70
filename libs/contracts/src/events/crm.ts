import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { Client } from '../http/clients.js';
import { Contact } from '../http/contacts.js';
import { Note } from '../http/notes.js';

/**
 * Client events carry the whole client and a version that grows with every change, so a
 * replica can keep the newest state whatever order the events arrive in.
 */
export const ClientSnapshotPayload = z.object({ client: Client, version: z.number().int().positive() });
export type ClientSnapshotPayload = z.infer<typeof ClientSnapshotPayload>;

export const ClientDeletedPayload = z.object({ clientId: Uuid, name: z.string(), version: z.number().int().positive(), deletedAt: Timestamp });
export type ClientDeletedPayload = z.infer<typeof ClientDeletedPayload>;

/** Contact and note events name their client, so the timeline files them under it. */
export const ContactPayload = z.object({ clientId: Uuid, contact: Contact });
export type ContactPayload = z.infer<typeof ContactPayload>;
export const ContactDeletedPayload = z.object({ clientId: Uuid, contactId: Uuid, name: z.string() });
export type ContactDeletedPayload = z.infer<typeof ContactDeletedPayload>;

/** `changes` (updates only): which fields the update changed, so the timeline can say "Note pinned". */
export const NoteChange = z.enum(['body', 'isPinned']);
export type NoteChange = z.infer<typeof NoteChange>;
export const NotePayload = z.object({ clientId: Uuid, note: Note, changes: z.array(NoteChange).optional() });
export type NotePayload = z.infer<typeof NotePayload>;
export const NoteDeletedPayload = z.object({ clientId: Uuid, noteId: Uuid });
export type NoteDeletedPayload = z.infer<typeof NoteDeletedPayload>;

export const crmEvents = {
  'crm.client.created.v1': ClientSnapshotPayload,
  'crm.client.updated.v1': ClientSnapshotPayload,
  'crm.client.deleted.v1': ClientDeletedPayload,
  'crm.contact.created.v1': ContactPayload,
  'crm.contact.updated.v1': ContactPayload,
  'crm.contact.deleted.v1': ContactDeletedPayload,
  'crm.note.created.v1': NotePayload,
  'crm.note.updated.v1': NotePayload,
  'crm.note.deleted.v1': NoteDeletedPayload,
} as const;
