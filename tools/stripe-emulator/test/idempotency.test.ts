import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionParams, startEmulator, submitCheckout } from './helpers.js';
import type { StripeEmulator } from '../src/index.js';

let emulator: StripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emulator, stripe } = await startEmulator());
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

describe('Idempotency-Key', () => {
  it('replays the first result for the same key and parameters', async () => {
    const first = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: 'checkout:inv_1:12345' });
    const again = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: 'checkout:inv_1:12345' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(1);
  });

  it('refuses the same key with other parameters', async () => {
    await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: 'k-1' });
    const other = sessionParams({ line_items: [{ price_data: { currency: 'eur', unit_amount: 999, product_data: { name: 'Invoice INV-0001' } }, quantity: 1 }] });
    const err = await stripe.checkout.sessions.create(other, { idempotencyKey: 'k-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(1);
  });

  it('refuses the same key on another endpoint', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: 'shared' });
    await expect(stripe.checkout.sessions.expire(session.id, {}, { idempotencyKey: 'shared' })).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('parameter order does not make two requests differ', async () => {
    const a = await stripe.checkout.sessions.create(sessionParams({ metadata: { a: '1', b: '2' } }), { idempotencyKey: 'order' });
    const b = await stripe.checkout.sessions.create(sessionParams({ metadata: { b: '2', a: '1' } }), { idempotencyKey: 'order' });
    expect(b.id).toBe(a.id);
  });

  it('replays a failed refund as the same error, and does not save requests refused up front', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await submitCheckout(session, { method: 'card', card_number: '4242424242424242' });
    const pi = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    // Refused before it ran: the key stays free and works with valid parameters afterwards.
    await expect(stripe.refunds.create({ payment_intent: pi, amount: 999_999 }, { idempotencyKey: 'refund-1' })).rejects.toMatchObject({ code: 'amount_too_large' });
    const refund = await stripe.refunds.create({ payment_intent: pi, amount: 100 }, { idempotencyKey: 'refund-1' });
    const replay = await stripe.refunds.create({ payment_intent: pi, amount: 100 }, { idempotencyKey: 'refund-1' });
    expect(replay.id).toBe(refund.id);
    expect((await stripe.charges.list({ payment_intent: pi })).data[0]!.amount_refunded).toBe(100);
  });

  it('keys every SDK POST by default, so a retried create makes one session', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    expect(session.lastResponse.idempotencyKey).toMatch(/^stripe-node-retry-/);
  });
});
