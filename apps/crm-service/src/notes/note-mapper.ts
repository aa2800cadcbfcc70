import type { Note } from '@atelier/contracts';
import type { notes } from '../db/schema.js';

export type NoteRow = typeof notes.$inferSelect;

export const toNoteDto = (row: NoteRow): Note => ({
  id: row.id,
  clientId: row.clientId,
  body: row.body,
  isPinned: row.isPinned,
  authorId: row.authorId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
