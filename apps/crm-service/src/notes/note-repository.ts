import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { notes } from '../db/schema.js';
import type { NoteRow } from './note-mapper.js';

export interface NotePosition {
  pinned: boolean;
  createdAt: string;
  id: string;
}

/** A client's live notes: pinned first, then newest (keyset on pinned, created_at, id, all descending). */
export async function selectNotePage(tx: Tx, clientId: string, after: NotePosition | null, maxRows: number): Promise<{ rows: NoteRow[]; total: number }> {
  const where = and(eq(notes.clientId, clientId), isNull(notes.deletedAt));
  const pageWhere = after
    ? and(where, sql`(${notes.isPinned}, ${notes.createdAt}, ${notes.id}) < (${after.pinned}, ${after.createdAt}::timestamptz, ${after.id}::uuid)`)
    : where;
  const rows = await tx.select().from(notes).where(pageWhere).orderBy(desc(notes.isPinned), desc(notes.createdAt), desc(notes.id)).limit(maxRows);
  const [totalRow] = await tx.select({ n: count() }).from(notes).where(where);
  return { rows, total: totalRow?.n ?? 0 };
}

export async function selectNote(tx: Tx, id: string): Promise<NoteRow | undefined> {
  const [row] = await tx
    .select()
    .from(notes)
    .where(and(eq(notes.id, id), isNull(notes.deletedAt)));
  return row;
}

export async function insertNote(tx: Tx, values: Pick<NoteRow, 'agencyId' | 'clientId' | 'body' | 'isPinned' | 'authorId'>): Promise<NoteRow> {
  const [row] = await tx.insert(notes).values(values).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateNoteRow(tx: Tx, id: string, changes: Partial<Pick<NoteRow, 'body' | 'isPinned'>>): Promise<NoteRow | undefined> {
  const [row] = await tx
    .update(notes)
    .set({ ...changes, updatedAt: sql`now()`, version: sql`${notes.version} + 1` })
    .where(and(eq(notes.id, id), isNull(notes.deletedAt)))
    .returning();
  return row;
}

export async function softDeleteNote(tx: Tx, id: string): Promise<NoteRow | undefined> {
  const [row] = await tx
    .update(notes)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()`, version: sql`${notes.version} + 1` })
    .where(and(eq(notes.id, id), isNull(notes.deletedAt)))
    .returning();
  return row;
}
