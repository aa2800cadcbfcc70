import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopTestService } from '@atelier/platform/testing';
import { signatureHeader } from '@atelier/tool-stripe-emulator';
import { DEV_STRIPE_WEBHOOK_SECRET } from '../src/config.js';
import { startPayments, type PaymentsHarness } from './payments-harness.js';
import { postWebhook } from './stripe-helpers.js';

let h: PaymentsHarness;
beforeAll(async () => {
  // No Stripe is reachable here: an event of no agency of ours needs no API call.
  h = await startPayments({ env: { STRIPE_API_BASE: 'http://127.0.0.1:9' } });
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

/** An event as Stripe sends it: pretty-printed JSON, the exact bytes signed. */
const eventBody = (id = `evt_sig_${Math.random().toString(36).slice(2)}`) =>
  JSON.stringify({ id, object: 'event', api_version: '2026-10-28.endive', created: Math.floor(Date.now() / 1000), type: 'customer.created', livemode: false, pending_webhooks: 1, data: { object: { id: 'cus_1', object: 'customer', metadata: {} } } }, null, 2);
const now = () => Math.floor(Date.now() / 1000);

describe('POST /webhooks/stripe verifies Stripe-Signature over the bytes as received', () => {
  it('accepts a valid signature', async () => {
    const body = eventBody();
    const res = await postWebhook(h.url, body, signatureHeader(body, DEV_STRIPE_WEBHOOK_SECRET, now()));
    expect(res.status).toBe(200);
  });

  it('refuses a body re-serialised after signing (same JSON, other bytes)', async () => {
    const body = eventBody();
    const header = signatureHeader(body, DEV_STRIPE_WEBHOOK_SECRET, now());
    const res = await postWebhook(h.url, JSON.stringify(JSON.parse(body)), header);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'webhook.invalid_signature' });
  });

  it('refuses a timestamp 301 s old and accepts one 299 s old (Stripe\'s 300 s tolerance)', async () => {
    const body = eventBody();
    expect((await postWebhook(h.url, body, signatureHeader(body, DEV_STRIPE_WEBHOOK_SECRET, now() - 301))).status).toBe(400);
    expect((await postWebhook(h.url, body, signatureHeader(body, DEV_STRIPE_WEBHOOK_SECRET, now() - 299))).status).toBe(200);
  });

  it('refuses another secret, a missing header and a garbled one', async () => {
    const body = eventBody();
    expect((await postWebhook(h.url, body, signatureHeader(body, 'whsec_someone_else', now()))).status).toBe(400);
    expect((await postWebhook(h.url, body, undefined)).status).toBe(400);
    expect((await postWebhook(h.url, body, 't=abc,v1=zz')).status).toBe(400);
  });

  it('accepts two v1 signatures during a secret rotation when one is by the current secret', async () => {
    const body = eventBody();
    expect((await postWebhook(h.url, body, signatureHeader(body, ['whsec_the_rolled_one', DEV_STRIPE_WEBHOOK_SECRET], now()))).status).toBe(200);
    expect((await postWebhook(h.url, body, signatureHeader(body, [DEV_STRIPE_WEBHOOK_SECRET, 'whsec_the_rolled_one'], now()))).status).toBe(200);
  });
  it('a signed event without an object, or one that is not JSON, changes nothing and never fails with a 5xx', async () => {
    const body = JSON.stringify({ id: 'evt_no_object', object: 'event', created: now(), type: 'payment_intent.succeeded', data: {} }, null, 2);
    expect((await postWebhook(h.url, body, signatureHeader(body, DEV_STRIPE_WEBHOOK_SECRET, now()))).status).toBe(200);
    const notJson = 'not json at all';
    expect((await postWebhook(h.url, notJson, signatureHeader(notJson, DEV_STRIPE_WEBHOOK_SECRET, now()))).status).toBe(400);
  });
});
