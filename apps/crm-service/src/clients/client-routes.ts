import { Router } from 'express';
import { ClientListQuery, CreateClientBody, UpdateClientBody } from '@atelier/contracts';
import { EDITORS, notFound, principalOf, requireRole, uuidParam, validate, withTenant, withTenantSnapshot, type Db } from '@atelier/platform';
import { toClientDto } from './client-mapper.js';
import { findClient, listClients } from './client-queries.js';
import { createClient, deleteClient, updateClient } from './client-service.js';

export function clientRoutes(db: Db): Router {
  const r = Router();

  r.get('/api/clients', async (req, res) => {
    const who = principalOf(res);
    const q = validate(ClientListQuery, req.query, 'query');
    // One snapshot for the page and its total (see withTenantSnapshot).
    const page = await withTenantSnapshot(db, who.agencyId, (tx) => listClients(tx, q));
    res.json({ data: page.rows.map(toClientDto), nextCursor: page.nextCursor, total: page.total });
  });

  r.post('/api/clients', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const body = validate(CreateClientBody, req.body);
    const row = await withTenant(db, who.agencyId, (tx) => createClient(tx, who, body));
    res.status(201).location(`/api/clients/${row.id}`).json(toClientDto(row));
  });

  r.get('/api/clients/:id', async (req, res) => {
    const who = principalOf(res);
    const id = uuidParam(req.params);
    const row = await withTenant(db, who.agencyId, (tx) => findClient(tx, id));
    if (!row) throw notFound('Client not found');
    res.json(toClientDto(row));
  });

  r.patch('/api/clients/:id', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const id = uuidParam(req.params);
    const body = validate(UpdateClientBody, req.body);
    const row = await withTenant(db, who.agencyId, (tx) => updateClient(tx, who, id, body));
    res.json(toClientDto(row));
  });

  r.delete('/api/clients/:id', async (req, res) => {
    const who = requireRole(res, EDITORS);
    const id = uuidParam(req.params);
    await withTenant(db, who.agencyId, (tx) => deleteClient(tx, who, id));
    res.status(204).end();
  });

  return r;
}
