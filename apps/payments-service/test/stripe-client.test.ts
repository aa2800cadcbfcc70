import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeEmulator, type StripeEmulator } from '@atelier/tool-stripe-emulator';
import { loadPaymentsConfig } from '../src/config.js';
import { createStripeClient } from '../src/stripe/stripe-client.js';

let emulator: StripeEmulator;

beforeAll(async () => {
  emulator = await startStripeEmulator({ apiKey: 'sk_test_payments' });
});
afterAll(() => emulator.stop());

describe('payments-service reaches Stripe through the SDK at STRIPE_API_BASE', () => {
  it('creates a Checkout Session on the emulator from its configuration', async () => {
    const config = loadPaymentsConfig({ STRIPE_API_BASE: emulator.url, STRIPE_SECRET_KEY: 'sk_test_payments' });
    const stripe = createStripeClient(config);
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'eur', unit_amount: 1_000, product_data: { name: 'Invoice' } }, quantity: 1 }],
      metadata: { invoice_id: 'inv_1' },
      success_url: 'http://localhost:3000/pay/x',
    });
    expect(session).toMatchObject({ object: 'checkout.session', amount_total: 1_000, metadata: { invoice_id: 'inv_1' } });
    const wrongKey = createStripeClient({ ...config, STRIPE_SECRET_KEY: 'sk_test_other' });
    await expect(wrongKey.checkout.sessions.list()).rejects.toMatchObject({ type: 'StripeAuthenticationError' });
  });
});
