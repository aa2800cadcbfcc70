import { EDITORS, forbiddenError, type Principal } from '@atelier/platform';
import type { NoteRow } from './note-mapper.js';

/** Anyone may write notes; only the author, or a manager and above, may change or delete one. */
export function assertCanModify(who: Principal, note: NoteRow): void {
  if (note.authorId !== who.userId && !EDITORS.includes(who.role)) throw forbiddenError('note.not_author', 'Only the author or a manager can change this note');
}
