import { Router } from 'express';
import { WebhookEventListQuery } from '@atelier/contracts';
import { principalOf, uuidParam, validate } from '@atelier/platform';
import type { PaymentsDeps } from '../deps.js';
import { listWebhookEvents, replayWebhookEvent } from './webhook-ledger-service.js';

/** The ledger of Stripe events (owner/admin); mounted before `/api/payments/:id`. */
export function webhookLedgerRoutes(deps: PaymentsDeps): Router {
  const r = Router();
  r.get('/api/payments/webhook-events', async (req, res) => {
    res.json(await listWebhookEvents(deps, principalOf(res), validate(WebhookEventListQuery, req.query, 'query')));
  });
  r.post('/api/payments/webhook-events/:id/replay', async (req, res) => {
    res.json(await replayWebhookEvent(deps, principalOf(res), uuidParam(req.params)));
  });
  return r;
}
