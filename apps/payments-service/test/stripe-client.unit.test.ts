import { describe, expect, it } from 'vitest';
import { loadPaymentsConfig } from '../src/config.js';
import { createStripeClient, stripeConnection } from '../src/stripe/stripe-client.js';

describe('stripe-node configuration', () => {
  it('points the SDK at STRIPE_API_BASE (the emulator), or at Stripe when unset', () => {
    expect(stripeConnection('http://127.0.0.1:12111')).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
    expect(stripeConnection('https://stripe.internal')).toEqual({ host: 'stripe.internal', port: 443, protocol: 'https' });
    expect(stripeConnection(undefined)).toEqual({});
    const client = createStripeClient({ STRIPE_API_BASE: 'http://127.0.0.1:12111', STRIPE_SECRET_KEY: 'sk_test_x' });
    expect(client.getApiField('host')).toBe('127.0.0.1');
    expect(client.getApiField('port')).toBe(12111);
    expect(client.getApiField('protocol')).toBe('http');
  });

  it('refuses the development keys in production', () => {
    expect(() => loadPaymentsConfig({ NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://u:secret@db/atelier', AMQP_URL: 'amqp://u:secret@mq' }))
      .toThrow(/STRIPE_SECRET_KEY/);
    expect(loadPaymentsConfig({}).STRIPE_SECRET_KEY).toMatch(/^sk_test_/);
    expect(() => loadPaymentsConfig({ STRIPE_SECRET_KEY: 'pk_test_nope' })).toThrow(/STRIPE_SECRET_KEY/);
  });
});
