import { Router } from 'express';
import { RemindBody, SendInvoiceBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, uuidParam, validate } from '@atelier/platform';
import { remindInvoice, sendInvoice, type SendDeps } from './invoice-send-service.js';

export function invoiceSendRoutes(deps: SendDeps): Router {
  const r = Router();
  r.post('/api/invoices/:id/send', async (req, res) => {
    const who = principalOf(res);
    res.json(await sendInvoice(deps, who, uuidParam(req.params), validate(SendInvoiceBody, jsonBodyOf(req) ?? {})));
  });
  r.post('/api/invoices/:id/remind', async (req, res) => {
    const who = principalOf(res);
    res.json(await remindInvoice(deps, who, uuidParam(req.params), validate(RemindBody, jsonBodyOf(req) ?? {})));
  });
  return r;
}
