import { Router } from 'express';
import { ClientListQuery, CreateClientBody, UpdateClientBody } from '@atelier/contracts';
import { EDITORS, principalOf, requireRole, uuidParam, validate, type AttachmentService, type Db } from '@atelier/platform';
import { toClientDto } from './client-mapper.js';
import { createClient, deleteClient, getClient, listClients, updateClient } from './client-service.js';

export function clientRoutes(db: Db, attachments: AttachmentService): Router {
  const r = Router();

  r.get('/api/clients', async (req, res) => {
    const page = await listClients(db, principalOf(res), validate(ClientListQuery, req.query, 'query'));
    res.json({ data: page.rows.map(toClientDto), nextCursor: page.nextCursor, total: page.total });
  });

  r.post('/api/clients', async (req, res) => {
    const row = await createClient(db, requireRole(res, EDITORS), validate(CreateClientBody, req.body));
    res.status(201).location(`/api/clients/${row.id}`).json(toClientDto(row));
  });

  r.get('/api/clients/:id', async (req, res) => {
    res.json(toClientDto(await getClient(db, principalOf(res), uuidParam(req.params))));
  });

  r.patch('/api/clients/:id', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const row = await updateClient(db, who, uuidParam(req.params), validate(UpdateClientBody, req.body));
    res.json(toClientDto(row));
  });

  r.delete('/api/clients/:id', async (req, res) => {
    await deleteClient(db, attachments, requireRole(res, EDITORS), uuidParam(req.params));
    res.status(204).end();
  });

  return r;
}
