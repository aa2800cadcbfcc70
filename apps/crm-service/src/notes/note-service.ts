import { and, eq, isNull, sql } from 'drizzle-orm';
import type { CreateNoteBody, NoteChange, UpdateNoteBody } from '@atelier/contracts';
import { notFound, writeEvent, type Principal, type Tx } from '@atelier/platform';
import { clients, notes, outbox } from '../db/schema.js';
import { toNoteDto, type NoteRow } from './note-mapper.js';
import { assertCanModify } from './note-permissions.js';
import { findNote } from './note-queries.js';

const noteChanged = (tx: Tx, who: Principal, name: 'crm.note.created.v1' | 'crm.note.updated.v1', row: NoteRow, changes?: NoteChange[]) =>
  writeEvent(tx, outbox, { name, agencyId: who.agencyId, actorId: who.userId, payload: { clientId: row.clientId, note: toNoteDto(row), ...(changes ? { changes } : {}) } });

export async function createNote(tx: Tx, who: Principal, clientId: string, body: CreateNoteBody): Promise<NoteRow> {
  // FOR SHARE waits for a client delete in flight (which soft-deletes its notes), so no note
  // can be added to a client that is being deleted and survive the cascade.
  const [client] = await tx
    .select({ id: clients.id })
    .from(clients)
    .where(and(eq(clients.id, clientId), isNull(clients.deletedAt)))
    .for('share');
  if (!client) throw notFound('Client not found');
  const [row] = await tx
    .insert(notes)
    .values({ agencyId: who.agencyId, clientId, body: body.body, isPinned: body.isPinned ?? false, authorId: who.userId })
    .returning();
  if (!row) throw new Error('insert returned no row');
  await noteChanged(tx, who, 'crm.note.created.v1', row);
  return row;
}

export async function updateNote(tx: Tx, who: Principal, id: string, body: UpdateNoteBody): Promise<NoteRow> {
  const note = await findNote(tx, id);
  if (!note) throw notFound('Note not found');
  assertCanModify(who, note);
  const [row] = await tx
    .update(notes)
    .set({ ...(body.body !== undefined ? { body: body.body } : {}), ...(body.isPinned !== undefined ? { isPinned: body.isPinned } : {}), updatedAt: sql`now()` })
    .where(and(eq(notes.id, id), isNull(notes.deletedAt)))
    .returning();
  if (!row) throw notFound('Note not found');
  const changes: NoteChange[] = [];
  if (row.body !== note.body) changes.push('body');
  if (row.isPinned !== note.isPinned) changes.push('isPinned');
  await noteChanged(tx, who, 'crm.note.updated.v1', row, changes);
  return row;
}

export async function deleteNote(tx: Tx, who: Principal, id: string): Promise<void> {
  const note = await findNote(tx, id);
  if (!note) throw notFound('Note not found');
  assertCanModify(who, note);
  const [row] = await tx
    .update(notes)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(notes.id, id), isNull(notes.deletedAt)))
    .returning();
  if (!row) throw notFound('Note not found');
  await writeEvent(tx, outbox, { name: 'crm.note.deleted.v1', agencyId: who.agencyId, actorId: who.userId, payload: { clientId: row.clientId, noteId: row.id } });
}
