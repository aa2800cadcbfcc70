import { Router } from 'express';
import { BulkDeleteContactsBody, ContactListQuery, CreateContactBody, UpdateContactBody } from '@atelier/contracts';
import { EDITORS, principalOf, requireRole, uuidParam, validate, type Db } from '@atelier/platform';
import { toContactDto } from './contact-mapper.js';
import { bulkDeleteContacts, createContact, deleteContact, getContact, listContacts, updateContact } from './contact-service.js';

const page = (p: Awaited<ReturnType<typeof listContacts>>) => ({ data: p.rows.map(toContactDto), nextCursor: p.nextCursor, total: p.total });

export function contactRoutes(db: Db): Router {
  const r = Router();

  r.get('/api/clients/:id/contacts', async (req, res) => {
    const clientId = uuidParam(req.params);
    const q = validate(ContactListQuery, req.query, 'query');
    res.json(page(await listContacts(db, principalOf(res), { ...q, clientId }, { requireClientId: clientId })));
  });

  r.post('/api/clients/:id/contacts', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const row = await createContact(db, who, uuidParam(req.params), validate(CreateContactBody, req.body));
    res.status(201).location(`/api/contacts/${row.id}`).json(toContactDto(row));
  });

  r.get('/api/contacts', async (req, res) => {
    res.json(page(await listContacts(db, principalOf(res), validate(ContactListQuery, req.query, 'query'))));
  });

  r.post('/api/contacts/bulk-delete', async (req, res) => {
    const who = requireRole(res, EDITORS);
    res.json({ deleted: await bulkDeleteContacts(db, who, validate(BulkDeleteContactsBody, req.body).ids) });
  });

  r.get('/api/contacts/:id', async (req, res) => {
    res.json(toContactDto(await getContact(db, principalOf(res), uuidParam(req.params))));
  });

  r.patch('/api/contacts/:id', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const row = await updateContact(db, who, uuidParam(req.params), validate(UpdateContactBody, req.body));
    res.json(toContactDto(row));
  });

  r.delete('/api/contacts/:id', async (req, res) => {
    await deleteContact(db, requireRole(res, EDITORS), uuidParam(req.params));
    res.status(204).end();
  });

  return r;
}
