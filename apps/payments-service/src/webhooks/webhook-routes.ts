import type { PublicRoute } from '@atelier/platform';
import type { PaymentsDeps } from '../deps.js';
import { receiveWebhook } from './webhook-service.js';

/** Stripe's signed events: the raw bytes (the signature is over them), 2xx once recorded and applied. */
export const stripeWebhookRoute = (deps: PaymentsDeps): PublicRoute => ({
  method: 'post',
  path: '/webhooks/stripe',
  raw: true,
  handler: async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await receiveWebhook(deps, body, req.header('stripe-signature'));
    res.status(200).json({ received: true, outcome });
  },
});
