import { Router } from 'express';
import { CreateNoteBody, NoteListQuery, UpdateNoteBody } from '@atelier/contracts';
import { principalOf, uuidParam, validate, type Db } from '@atelier/platform';
import { toNoteDto } from './note-mapper.js';
import { createNote, deleteNote, listNotes, updateNote } from './note-service.js';

/** Every role may read and write notes; who may change a given note is decided in the service (author or manager+). */
export function noteRoutes(db: Db): Router {
  const r = Router();

  r.get('/api/clients/:id/notes', async (req, res) => {
    const page = await listNotes(db, principalOf(res), uuidParam(req.params), validate(NoteListQuery, req.query, 'query'));
    res.json({ data: page.rows.map(toNoteDto), nextCursor: page.nextCursor, total: page.total });
  });

  r.post('/api/clients/:id/notes', async (req, res) => {
    const row = await createNote(db, principalOf(res), uuidParam(req.params), validate(CreateNoteBody, req.body));
    res.status(201).json(toNoteDto(row));
  });

  r.patch('/api/notes/:id', async (req, res) => {
    const row = await updateNote(db, principalOf(res), uuidParam(req.params), validate(UpdateNoteBody, req.body));
    res.json(toNoteDto(row));
  });

  r.delete('/api/notes/:id', async (req, res) => {
    await deleteNote(db, principalOf(res), uuidParam(req.params));
    res.status(204).end();
  });

  return r;
}
