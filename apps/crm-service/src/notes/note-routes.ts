import { Router } from 'express';
import { CreateNoteBody, NoteListQuery, UpdateNoteBody } from '@atelier/contracts';
import { notFound, principalOf, uuidParam, validate, withTenant, withTenantSnapshot, type Db } from '@atelier/platform';
import { findClient } from '../clients/client-queries.js';
import { toNoteDto } from './note-mapper.js';
import { listNotes } from './note-queries.js';
import { createNote, deleteNote, updateNote } from './note-service.js';

/** Every role may read and write notes; who may change a given note is decided in the service (author or manager+). */
export function noteRoutes(db: Db): Router {
  const r = Router();

  r.get('/api/clients/:id/notes', async (req, res) => {
    const who = principalOf(res);
    const clientId = uuidParam(req.params);
    const q = validate(NoteListQuery, req.query, 'query');
    const page = await withTenantSnapshot(db, who.agencyId, async (tx) => {
      if (!(await findClient(tx, clientId))) throw notFound('Client not found');
      return listNotes(tx, clientId, q);
    });
    res.json({ data: page.rows.map(toNoteDto), nextCursor: page.nextCursor, total: page.total });
  });

  r.post('/api/clients/:id/notes', async (req, res) => {
    const who = principalOf(res);
    const clientId = uuidParam(req.params);
    const body = validate(CreateNoteBody, req.body);
    const row = await withTenant(db, who.agencyId, (tx) => createNote(tx, who, clientId, body));
    res.status(201).json(toNoteDto(row));
  });

  r.patch('/api/notes/:id', async (req, res) => {
    const who = principalOf(res);
    const id = uuidParam(req.params);
    const body = validate(UpdateNoteBody, req.body);
    const row = await withTenant(db, who.agencyId, (tx) => updateNote(tx, who, id, body));
    res.json(toNoteDto(row));
  });

  r.delete('/api/notes/:id', async (req, res) => {
    const who = principalOf(res);
    const id = uuidParam(req.params);
    await withTenant(db, who.agencyId, (tx) => deleteNote(tx, who, id));
    res.status(204).end();
  });

  return r;
}
