import { z } from 'zod';
import { Timestamp, Uuid, listResponse } from '../common.js';

export const Note = z
  .object({
    id: Uuid,
    clientId: Uuid,
    body: z.string(),
    isPinned: z.boolean(),
    authorId: Uuid,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Note' });
export type Note = z.infer<typeof Note>;

const NoteText = z.string().trim().min(1, 'is required').max(20_000);
export const CreateNoteBody = z.object({ body: NoteText, isPinned: z.boolean().optional() }).strict().meta({ id: 'CreateNoteBody' });
export const UpdateNoteBody = z.object({ body: NoteText.optional(), isPinned: z.boolean().optional() }).strict().meta({ id: 'UpdateNoteBody' });
export type CreateNoteBody = z.infer<typeof CreateNoteBody>;
export type UpdateNoteBody = z.infer<typeof UpdateNoteBody>;

export const NoteListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export type NoteListQuery = z.infer<typeof NoteListQuery>;
export const NoteList = listResponse(Note);
