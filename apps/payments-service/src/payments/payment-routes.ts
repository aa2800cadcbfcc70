import { Router } from 'express';
import { PaymentListQuery, RecordPaymentBody, RefundBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, uuidParam, validate } from '@atelier/platform';
import type { PaymentsDeps } from '../deps.js';
import { getPayment, listPayments, recordPayment, refundPayment } from './payment-service.js';

export function paymentRoutes(deps: PaymentsDeps): Router {
  const r = Router();

  r.get('/api/payments', async (req, res) => {
    res.json(await listPayments(deps, principalOf(res), validate(PaymentListQuery, req.query, 'query')));
  });

  r.post('/api/payments', async (req, res) => {
    const payment = await recordPayment(deps, principalOf(res), validate(RecordPaymentBody, jsonBodyOf(req)));
    res.status(201).location(`/api/payments/${payment.id}`).json(payment);
  });

  r.get('/api/payments/:id', async (req, res) => {
    res.json(await getPayment(deps, principalOf(res), uuidParam(req.params)));
  });

  r.post('/api/payments/:id/refund', async (req, res) => {
    const id = uuidParam(req.params);
    res.json(await refundPayment(deps, principalOf(res), id, validate(RefundBody, jsonBodyOf(req) ?? {})));
  });

  return r;
}
