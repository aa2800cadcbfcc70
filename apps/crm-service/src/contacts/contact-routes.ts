import { Router } from 'express';
import { BulkDeleteContactsBody, ContactListQuery, CreateContactBody, UpdateContactBody } from '@atelier/contracts';
import { EDITORS, notFound, principalOf, requireRole, uuidParam, validate, withTenant, withTenantSnapshot, type Db } from '@atelier/platform';
import { findClient } from '../clients/client-queries.js';
import { mapPrimaryConflict } from './contact-conflicts.js';
import { toContactDto } from './contact-mapper.js';
import { findContact, listContacts } from './contact-queries.js';
import { bulkDeleteContacts, createContact, deleteContact, updateContact } from './contact-service.js';

const page = (p: Awaited<ReturnType<typeof listContacts>>) => ({ data: p.rows.map(toContactDto), nextCursor: p.nextCursor, total: p.total });

export function contactRoutes(db: Db): Router {
  const r = Router();

  r.get('/api/clients/:id/contacts', async (req, res) => {
    const who = principalOf(res);
    const clientId = uuidParam(req.params);
    const q = validate(ContactListQuery, req.query, 'query');
    const result = await withTenantSnapshot(db, who.agencyId, async (tx) => {
      if (!(await findClient(tx, clientId))) throw notFound('Client not found');
      return listContacts(tx, { ...q, clientId });
    });
    res.json(page(result));
  });

  r.post('/api/clients/:id/contacts', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const clientId = uuidParam(req.params);
    const body = validate(CreateContactBody, req.body);
    const row = await withTenant(db, who.agencyId, (tx) => createContact(tx, who, clientId, body)).catch(mapPrimaryConflict);
    res.status(201).location(`/api/contacts/${row.id}`).json(toContactDto(row));
  });

  r.get('/api/contacts', async (req, res) => {
    const who = principalOf(res);
    const q = validate(ContactListQuery, req.query, 'query');
    res.json(page(await withTenantSnapshot(db, who.agencyId, (tx) => listContacts(tx, q))));
  });

  r.post('/api/contacts/bulk-delete', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const body = validate(BulkDeleteContactsBody, req.body);
    const deleted = await withTenant(db, who.agencyId, (tx) => bulkDeleteContacts(tx, who, body.ids));
    res.json({ deleted });
  });

  r.get('/api/contacts/:id', async (req, res) => {
    const who = principalOf(res);
    const id = uuidParam(req.params);
    const row = await withTenant(db, who.agencyId, (tx) => findContact(tx, id));
    if (!row) throw notFound('Contact not found');
    res.json(toContactDto(row));
  });

  r.patch('/api/contacts/:id', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const id = uuidParam(req.params);
    const body = validate(UpdateContactBody, req.body);
    const row = await withTenant(db, who.agencyId, (tx) => updateContact(tx, who, id, body)).catch(mapPrimaryConflict);
    res.json(toContactDto(row));
  });

  r.delete('/api/contacts/:id', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const id = uuidParam(req.params);
    await withTenant(db, who.agencyId, (tx) => deleteContact(tx, who, id));
    res.status(204).end();
  });

  return r;
}
