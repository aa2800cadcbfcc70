import { Router } from 'express';
import { InvoiceFromTimeBody, UnbilledQuery } from '@atelier/contracts';
import { jsonBodyOf, principalOf, validate, type Db } from '@atelier/platform';
import { draftFromTime, listUnbilled } from './unbilled-service.js';

export function unbilledRoutes(db: Db): Router {
  const r = Router();

  r.get('/api/invoices/unbilled', async (req, res) => {
    res.json(await listUnbilled(db, principalOf(res), validate(UnbilledQuery, req.query, 'query')));
  });

  r.post('/api/invoices/from-time', async (req, res) => {
    const invoice = await draftFromTime(db, principalOf(res), validate(InvoiceFromTimeBody, jsonBodyOf(req)));
    res.status(201).location(`/api/invoices/${invoice.id}`).json(invoice);
  });

  return r;
}
