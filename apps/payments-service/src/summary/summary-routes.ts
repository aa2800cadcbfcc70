import { Router } from 'express';
import { PaymentSummaryQuery } from '@atelier/contracts';
import { principalOf, validate } from '@atelier/platform';
import type { PaymentsDeps } from '../deps.js';
import { summarizePayments } from './summary-service.js';

/** Mounted before `/api/payments/:id`, which would take "summary" for an id. */
export function summaryRoutes(deps: PaymentsDeps): Router {
  const r = Router();
  r.get('/api/payments/summary', async (req, res) => {
    res.json(await summarizePayments(deps, principalOf(res), validate(PaymentSummaryQuery, req.query, 'query')));
  });
  return r;
}
