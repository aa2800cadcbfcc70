import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { control, sessionParams, startEmulator, submitCheckout, WebhookReceiver } from './helpers.js';
import type { Delivery, StripeEmulator } from '../src/index.js';

const SECRET = 'whsec_test_secret_for_emulator';
let emulator: StripeEmulator;
let stripe: Stripe;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  ({ emulator, stripe } = await startEmulator({ webhooks: [{ url: receiver.url, secret: SECRET }], retryDelaysMs: [20, 40, 80] }));
});
afterAll(async () => {
  await emulator.stop();
  await receiver.stop();
});
beforeEach(() => {
  emulator.reset();
  receiver.clear();
});

async function pay(card = '4242424242424242'): Promise<Stripe.Checkout.Session> {
  const session = await stripe.checkout.sessions.create(sessionParams());
  await submitCheckout(session, { method: 'card', card_number: card });
  return session;
}

const deliveries = async (query = '') => (await control<{ data: Delivery[] }>(emulator, `/deliveries${query}`)).data;

describe('webhook delivery', () => {
  it('signs every event as Stripe does, verifiable by stripe.webhooks.constructEvent', async () => {
    const session = await pay();
    await emulator.idle();
    expect(receiver.received).toHaveLength(4);
    for (const r of receiver.received) {
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const event = stripe.webhooks.constructEvent(r.raw, r.headers['stripe-signature'] as string, SECRET);
      expect(event.object).toBe('event');
    }
    const completed = receiver.events().find((e) => e.type === 'checkout.session.completed')!;
    expect(completed.data.object).toMatchObject({ id: session.id, payment_status: 'paid', metadata: { invoice_id: 'inv_1' } });
    // The same bytes with another secret, or re-serialised, do not verify.
    const one = receiver.received[0]!;
    expect(() => stripe.webhooks.constructEvent(one.raw, one.headers['stripe-signature'] as string, 'whsec_other')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(JSON.stringify(JSON.parse(one.raw)), one.headers['stripe-signature'] as string, SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    const list = await deliveries();
    expect(list.every((d) => d.state === 'succeeded' && d.attempts.length === 1 && d.attempts[0]!.status === 200)).toBe(true);
    // Nothing left pending at Stripe's side.
    expect((await stripe.events.retrieve(completed.id)).pending_webhooks).toBe(0);
  });

  it('retries with back-off while the endpoint answers 500, then stops at the first 2xx', async () => {
    receiver.script = [500, 500, 200];
    await control(emulator, '/webhooks/config', { hold: false });
    const session = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(session.id);
    await emulator.idle();
    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 200]);
    const [delivery] = await deliveries('?type=checkout.session.expired');
    expect(delivery).toMatchObject({ state: 'succeeded' });
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    const times = delivery!.attempts.map((a) => Date.parse(a.at));
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(times[1]! - times[0]! - 5);
    // Each attempt is signed afresh and verifies.
    for (const r of receiver.received) expect(stripe.webhooks.constructEvent(r.raw, r.headers['stripe-signature'] as string, SECRET).type).toBe('checkout.session.expired');
  });

  it('gives up after the last retry, and retries an endpoint that cannot be reached', async () => {
    receiver.script = [500, 503, 502, 500];
    const session = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(session.id);
    await emulator.idle();
    const [failed] = await deliveries();
    expect(failed).toMatchObject({ state: 'failed' });
    expect(failed!.attempts).toHaveLength(4);
    // What reconciliation asks Stripe for: the events some endpoint never acknowledged.
    const undelivered = await stripe.events.list({ delivery_success: false });
    expect(undelivered.data.map((e) => [e.type, e.pending_webhooks])).toEqual([['checkout.session.expired', 1]]);
    expect((await stripe.events.list({ delivery_success: true })).data).toHaveLength(0);

    const down = await control<{ id: string }>(emulator, '/webhooks/endpoints', { url: 'http://127.0.0.1:9/nothing', secret: 'whsec_down', enabled_events: ['checkout.session.expired'] });
    const other = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(other.id);
    await emulator.idle();
    const unreachable = (await deliveries()).find((d) => d.endpoint_id === down.id)!;
    expect(unreachable.state).toBe('failed');
    expect(unreachable.attempts).toHaveLength(4);
    expect(unreachable.attempts[0]!.status).toBeNull();
    expect(unreachable.attempts[0]!.error).toBeTruthy();
  });

  it('injects duplicates: each event arrives the configured number of extra times', async () => {
    await control(emulator, '/webhooks/config', { duplicates: 1 });
    await pay();
    await emulator.idle();
    const ids = receiver.events().map((e) => e.id);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(4);
    // And one more on demand.
    const completed = receiver.events().find((e) => e.type === 'checkout.session.completed')!;
    await control(emulator, '/webhooks/config', { duplicates: 0 });
    await control(emulator, `/events/${completed.id}/redeliver`, {});
    await emulator.idle();
    expect(receiver.events().filter((e) => e.id === completed.id)).toHaveLength(3);
  });

  it('holds deliveries and releases them in reverse order (reordering)', async () => {
    await control(emulator, '/webhooks/hold', {});
    await pay();
    await emulator.idle();
    expect(receiver.received).toHaveLength(0);
    expect((await deliveries('?state=held')).length).toBe(4);
    const created = (await stripe.events.list()).data.map((e) => e.type); // newest first
    await control(emulator, '/webhooks/release', { order: 'reverse' });
    await new Promise((r) => setTimeout(r, 10));
    await emulator.idle();
    expect(receiver.events().map((e) => e.type)).toEqual(created);
    expect(receiver.events()[0]!.type).toBe('checkout.session.completed');
  });

  it('delays deliveries', async () => {
    await control(emulator, '/webhooks/config', { delay_ms: 150 });
    const started = Date.now();
    const session = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(session.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);
    await emulator.idle();
    expect(receiver.received).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('a control-added endpoint gets its own secret, and reset removes it', async () => {
    const second = await new WebhookReceiver().start();
    try {
      const endpoint = await control<{ id: string; secret: string }>(emulator, '/webhooks/endpoints', { url: second.url });
      expect(endpoint.secret).toMatch(/^whsec_/);
      const session = await stripe.checkout.sessions.create(sessionParams());
      await stripe.checkout.sessions.expire(session.id);
      await emulator.idle();
      const [r] = second.received;
      expect(stripe.webhooks.constructEvent(r!.raw, r!.headers['stripe-signature'] as string, endpoint.secret).type).toBe('checkout.session.expired');
      await control(emulator, '/reset', {});
      const left = await control<{ data: { id: string }[] }>(emulator, '/webhooks/endpoints');
      expect(left.data.map((e) => e.id)).not.toContain(endpoint.id);
      expect(left.data).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  it('signs with both secrets while a rolled secret is still honoured', async () => {
    const second = await new WebhookReceiver().start();
    try {
      const endpoint = await control<{ id: string; secret: string }>(emulator, '/webhooks/endpoints', { url: second.url });
      const rolled = await control<{ secret: string; previous_secret: string }>(emulator, `/webhooks/endpoints/${endpoint.id}/roll`, { keep_previous: true });
      expect(rolled.previous_secret).toBe(endpoint.secret);
      const session = await stripe.checkout.sessions.create(sessionParams());
      await stripe.checkout.sessions.expire(session.id);
      await emulator.idle();
      const [r] = second.received;
      const header = r!.headers['stripe-signature'] as string;
      expect(header.match(/v1=/g)).toHaveLength(2);
      expect(stripe.webhooks.constructEvent(r!.raw, header, rolled.secret).type).toBe('checkout.session.expired');
      expect(stripe.webhooks.constructEvent(r!.raw, header, endpoint.secret).type).toBe('checkout.session.expired');
      // Rolled again without keeping it, the old secret no longer verifies.
      const again = await control<{ secret: string }>(emulator, `/webhooks/endpoints/${endpoint.id}/roll`, {});
      await control(emulator, `/events/${(await stripe.events.list({ limit: 1 })).data[0]!.id}/redeliver`, {});
      await emulator.idle();
      const last = second.received.at(-1)!;
      expect(() => stripe.webhooks.constructEvent(last.raw, last.headers['stripe-signature'] as string, rolled.secret)).toThrow();
      expect(stripe.webhooks.constructEvent(last.raw, last.headers['stripe-signature'] as string, again.secret).type).toBe('checkout.session.expired');
    } finally {
      await second.stop();
    }
  });

  it('the dashboard lists sessions, payments and deliveries', async () => {
    const session = await pay();
    await emulator.idle();
    const page = await (await fetch(`${emulator.url}/`)).text();
    expect(page).toContain(session.id.slice(0, 20));
    expect(page).toContain('€123.45');
    expect(page).toContain('checkout.session.completed');
    expect(page).toContain('succeeded');
  });
});
