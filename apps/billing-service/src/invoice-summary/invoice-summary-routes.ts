import { Router } from 'express';
import { InvoiceSummaryQuery } from '@atelier/contracts';
import { principalOf, validate, type Db } from '@atelier/platform';
import { invoiceSummary } from './invoice-summary-service.js';

export function invoiceSummaryRoutes(db: Db): Router {
  const r = Router();
  r.get('/api/invoices/summary', async (req, res) => {
    res.json(await invoiceSummary(db, principalOf(res), validate(InvoiceSummaryQuery, req.query, 'query')));
  });
  return r;
}
