import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { badRequest, decodeCursor, encodeCursor, type Tx } from '@atelier/platform';
import { notes } from '../db/schema.js';
import type { NoteRow } from './note-mapper.js';

const CURSOR_KEY = 'notes:pinned-created:desc';

/** The cursor value packs both sort keys: pinned flag and creation time. */
const cursorValue = (row: NoteRow) => `${row.isPinned ? 1 : 0}|${row.createdAt.toISOString()}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Checked before it reaches SQL, so a tampered cursor is a 400, not a failed cast. */
function readCursor(cursor: string | undefined): { pinned: boolean; createdAt: string; id: string } | null {
  const position = decodeCursor(cursor, CURSOR_KEY);
  if (!position) return null;
  const match = /^([01])\|(.+)$/.exec(position.value ?? '');
  if (!match || !ISO.test(match[2]!) || !UUID.test(position.id)) {
    throw badRequest('Invalid cursor', [{ path: 'query.cursor', message: 'is not a cursor from this list' }]);
  }
  return { pinned: match[1] === '1', createdAt: match[2]!, id: position.id };
}

/** A client's notes: pinned first, then newest (keyset on pinned, created_at, id, all descending). */
export async function listNotes(tx: Tx, clientId: string, q: { limit: number; cursor?: string }) {
  const where = and(eq(notes.clientId, clientId), isNull(notes.deletedAt));
  const after = readCursor(q.cursor);
  const pageWhere = after
    ? and(where, sql`(${notes.isPinned}, ${notes.createdAt}, ${notes.id}) < (${after.pinned}, ${after.createdAt}::timestamptz, ${after.id}::uuid)`)
    : where;
  const rows = await tx
    .select()
    .from(notes)
    .where(pageWhere)
    .orderBy(desc(notes.isPinned), desc(notes.createdAt), desc(notes.id))
    .limit(q.limit + 1);
  const [totalRow] = await tx.select({ n: count() }).from(notes).where(where);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: CURSOR_KEY, value: cursorValue(last), id: last.id }) : null;
  return { rows: page, nextCursor, total: totalRow?.n ?? 0 };
}

export async function findNote(tx: Tx, id: string): Promise<NoteRow | undefined> {
  const [row] = await tx
    .select()
    .from(notes)
    .where(and(eq(notes.id, id), isNull(notes.deletedAt)));
  return row;
}
