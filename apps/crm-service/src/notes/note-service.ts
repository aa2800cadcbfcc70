import type { CreateNoteBody, NoteChange, NoteListQuery, UpdateNoteBody } from '@atelier/contracts';
import { decodeCursor, encodeCursor, notFoundError, tenantTx, writeEvents, type Db, type EventToWrite, type Principal } from '@atelier/platform';
import { requireClient } from '../clients/client-service.js';
import { outbox } from '../db/schema.js';
import { toNoteDto, type NoteRow } from './note-mapper.js';
import { assertCanModify } from './note-permissions.js';
import { insertNote, selectNote, selectNotePage, softDeleteNote, updateNoteRow, type NotePosition } from './note-repository.js';

const noteNotFound = () => notFoundError('note.not_found', 'Note not found');

const CURSOR_KEY = 'notes:pinned-created:desc';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PACKED = /^([01])\|(.+)$/;

/** The cursor value packs both sort keys: pinned flag and creation time. */
const cursorValue = (row: NoteRow) => `${row.isPinned ? 1 : 0}|${row.createdAt.toISOString()}`;

function readCursor(cursor: string | undefined): NotePosition | null {
  const position = decodeCursor(cursor, CURSOR_KEY, (v) => {
    const m = PACKED.exec(v);
    return !!m && ISO_MS.test(m[2] ?? '');
  });
  if (!position) return null;
  const [, pinned, createdAt] = PACKED.exec(position.value) as RegExpExecArray;
  return { pinned: pinned === '1', createdAt: createdAt as string, id: position.id };
}

/** A client's notes, pinned first, then newest; one snapshot for the page and its total. */
export function listNotes(db: Db, who: Principal, clientId: string, q: NoteListQuery) {
  const after = readCursor(q.cursor);
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      await requireClient(tx, clientId);
      const { rows, total } = await selectNotePage(tx, clientId, after, q.limit + 1);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: CURSOR_KEY, value: cursorValue(last), id: last.id }) : null;
      return { rows: page, nextCursor, total };
    },
    { mode: 'snapshot' },
  );
}

const noteChanged = (who: Principal, name: 'crm.note.created.v1' | 'crm.note.updated.v1', row: NoteRow, changes?: NoteChange[]) =>
  ({
    name,
    agencyId: who.agencyId,
    actorId: who.userId,
    payload: { clientId: row.clientId, note: toNoteDto(row), version: row.version, ...(changes ? { changes } : {}) },
  }) satisfies EventToWrite<'crm.note.created.v1' | 'crm.note.updated.v1'>;

export function createNote(db: Db, who: Principal, clientId: string, body: CreateNoteBody): Promise<NoteRow> {
  return tenantTx(db, who.agencyId, async (tx) => {
    // FOR SHARE waits for a client delete in flight (which soft-deletes its notes), so no note
    // can be added to a client that is being deleted and survive the cascade.
    await requireClient(tx, clientId, 'share');
    const row = await insertNote(tx, { agencyId: who.agencyId, clientId, body: body.body, isPinned: body.isPinned ?? false, authorId: who.userId });
    await writeEvents(tx, outbox, [noteChanged(who, 'crm.note.created.v1', row)]);
    return row;
  });
}

export function updateNote(db: Db, who: Principal, id: string, body: UpdateNoteBody): Promise<NoteRow> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const note = await selectNote(tx, id);
    if (!note) throw noteNotFound();
    assertCanModify(who, note);
    const row = await updateNoteRow(tx, id, { ...(body.body !== undefined ? { body: body.body } : {}), ...(body.isPinned !== undefined ? { isPinned: body.isPinned } : {}) });
    if (!row) throw noteNotFound();
    const changes: NoteChange[] = [];
    if (row.body !== note.body) changes.push('body');
    if (row.isPinned !== note.isPinned) changes.push('isPinned');
    await writeEvents(tx, outbox, [noteChanged(who, 'crm.note.updated.v1', row, changes)]);
    return row;
  });
}

export function deleteNote(db: Db, who: Principal, id: string): Promise<void> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const note = await selectNote(tx, id);
    if (!note) throw noteNotFound();
    assertCanModify(who, note);
    const row = await softDeleteNote(tx, id);
    if (!row) throw noteNotFound();
    await writeEvents(tx, outbox, [{ name: 'crm.note.deleted.v1', agencyId: who.agencyId, actorId: who.userId, payload: { clientId: row.clientId, noteId: row.id, version: row.version } }]);
  });
}
