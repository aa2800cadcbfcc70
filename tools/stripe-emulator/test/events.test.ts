import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { control, sessionParams, startEmulator, submitCheckout } from './helpers.js';
import type { StripeEmulator } from '../src/index.js';

let emulator: StripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emulator, stripe } = await startEmulator());
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

describe('GET /v1/events', () => {
  it('filters by type (with a wildcard) and created, and pages', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await submitCheckout(session, { method: 'card', card_number: '4242424242424242' });
    const all = await stripe.events.list();
    expect(all.data.map((e) => e.type)).toEqual(['checkout.session.completed', 'payment_intent.succeeded', 'charge.succeeded', 'payment_intent.created']);
    const completed = all.data[0]!;
    expect(completed).toMatchObject({ object: 'event', livemode: false, request: { id: null } });
    expect(completed.data.object).toMatchObject({ id: session.id, payment_status: 'paid', metadata: { invoice_id: 'inv_1' } });

    expect((await stripe.events.list({ type: 'payment_intent.*' })).data.map((e) => e.type)).toEqual(['payment_intent.succeeded', 'payment_intent.created']);
    const page1 = await stripe.events.list({ limit: 3 });
    expect(page1.has_more).toBe(true);
    const page2 = await stripe.events.list({ limit: 3, starting_after: page1.data[2]!.id });
    expect(page2.data.map((e) => e.id)).toEqual([all.data[3]!.id]);

    await control(emulator, '/clock', { advance_seconds: 3600 });
    const later = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(later.id);
    const recent = await stripe.events.list({ created: { gte: completed.created + 3600 } });
    expect(recent.data.map((e) => e.type)).toEqual(['checkout.session.expired']);
    expect((await stripe.events.retrieve(completed.id)).id).toBe(completed.id);
  });

  it('keeps 30 days of events', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(session.id);
    const [event] = (await stripe.events.list()).data;
    await control(emulator, '/clock', { advance_seconds: 29 * 86_400 });
    expect((await stripe.events.list()).data).toHaveLength(1);
    await control(emulator, '/clock', { advance_seconds: 2 * 86_400 });
    expect((await stripe.events.list()).data).toHaveLength(0);
    await expect(stripe.events.retrieve(event!.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('records the API request that caused an event', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(session.id, {}, { idempotencyKey: 'expire-1' });
    const [event] = (await stripe.events.list()).data;
    expect(event!.request).toEqual({ id: expired.lastResponse.requestId, idempotency_key: 'expire-1' });
  });
});
