import { Router } from 'express';
import { CheckoutBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, validate, type PublicRoute } from '@atelier/platform';
import type { PaymentsDeps } from '../deps.js';
import { publicCheckout, staffCheckout } from './checkout-service.js';

export function checkoutRoutes(deps: PaymentsDeps): Router {
  const r = Router();
  r.post('/api/payments/checkout', async (req, res) => {
    res.status(200).json(await staffCheckout(deps, principalOf(res), validate(CheckoutBody, jsonBodyOf(req))));
  });
  return r;
}

/** The public invoice page's Pay button: no session, the token names the invoice. */
export const publicCheckoutRoute = (deps: PaymentsDeps): PublicRoute => ({
  method: 'post',
  path: '/api/public/invoices/:publicToken/checkout',
  handler: async (req, res) => {
    res.status(200).json(await publicCheckout(deps, String(req.params.publicToken ?? '')));
  },
});
