import Stripe from 'stripe';
import type { PaymentsConfig } from '../config.js';

type Connection = Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'>;

/** STRIPE_API_BASE as stripe-node's host, port and protocol; nothing (Stripe itself) when unset. */
export function stripeConnection(apiBase: string | undefined): Connection {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

/** The one way payments-service talks to Stripe: the official SDK, at Stripe or at the emulator. */
export function createStripeClient(config: Pick<PaymentsConfig, 'STRIPE_API_BASE' | 'STRIPE_SECRET_KEY'>, options: Stripe.StripeConfig = {}): Stripe {
  return new Stripe(config.STRIPE_SECRET_KEY, { maxNetworkRetries: 2, timeout: 20_000, ...stripeConnection(config.STRIPE_API_BASE), ...options });
}
