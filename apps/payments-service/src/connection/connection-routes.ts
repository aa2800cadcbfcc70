import { Router } from 'express';
import { principalOf } from '@atelier/platform';
import type { PaymentsDeps } from '../deps.js';
import { getConnection } from './connection-service.js';

/** Mounted before `/api/payments/:id`, which would take "connection" for an id. */
export function connectionRoutes(deps: PaymentsDeps): Router {
  const r = Router();
  r.get('/api/payments/connection', async (_req, res) => {
    res.json(await getConnection(deps, principalOf(res)));
  });
  return r;
}
