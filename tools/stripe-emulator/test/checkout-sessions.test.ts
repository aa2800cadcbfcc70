import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { control, sessionParams, startEmulator, stripeFor, submitCheckout } from './helpers.js';
import type { StripeEmulator } from '../src/index.js';

let emulator: StripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emulator, stripe } = await startEmulator());
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

describe('Checkout Sessions through stripe-node', () => {
  it('creates a session from bracketed params and retrieves it with dotted expands', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams({
      line_items: [
        { price_data: { currency: 'eur', unit_amount: 10_000, product_data: { name: 'Design' } }, quantity: 2 },
        { price_data: { currency: 'eur', unit_amount: 2_345, product_data: { name: 'Hosting' } }, quantity: 1 },
      ],
    }));
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid', currency: 'eur',
      amount_total: 22_345, metadata: { invoice_id: 'inv_1', agency_id: 'ag_1' }, customer_email: 'john@acme.test', payment_intent: null,
    });
    expect(session.url).toBe(`http://localhost:${emulator.port}/checkout/${session.id}`);
    expect(session.expires_at - session.created).toBe(24 * 3600);

    const withItems = await stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(withItems.line_items?.data.map((li) => [li.description, li.quantity, li.amount_total])).toEqual([['Design', 2, 20_000], ['Hosting', 1, 2_345]]);

    const res = await submitCheckout(session, { method: 'card', card_number: '4242 4242 4242 4242' });
    expect(res.status).toBe(303);
    const paid = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent', 'payment_intent.latest_charge'] });
    const pi = paid.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 22_345, amount_received: 22_345, metadata: { invoice_id: 'inv_1' } });
    expect(pi.latest_charge).toMatchObject({ object: 'charge', status: 'succeeded', paid: true, amount: 22_345, payment_intent: pi.id });
    // The stored session keeps an id, not the expanded object.
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_intent).toBe(pi.id);
  });

  it('pages lists with limit, starting_after and ending_before, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await stripe.checkout.sessions.create(sessionParams({ metadata: { n: String(i) } }))).id);
    const newestFirst = [...ids].reverse();
    const first = await stripe.checkout.sessions.list({ limit: 2 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/checkout/sessions' });
    expect(first.data.map((s) => s.id)).toEqual(newestFirst.slice(0, 2));
    const second = await stripe.checkout.sessions.list({ limit: 2, starting_after: first.data[1]!.id });
    expect(second.data.map((s) => s.id)).toEqual(newestFirst.slice(2, 4));
    const last = await stripe.checkout.sessions.list({ limit: 2, starting_after: second.data[1]!.id });
    expect(last.data.map((s) => s.id)).toEqual(newestFirst.slice(4));
    expect(last.has_more).toBe(false);
    const back = await stripe.checkout.sessions.list({ limit: 2, ending_before: last.data[0]!.id });
    expect(back.data.map((s) => s.id)).toEqual(newestFirst.slice(2, 4));
    expect(back.has_more).toBe(true);
    const top = await stripe.checkout.sessions.list({ limit: 3, ending_before: newestFirst[1]! });
    expect(top.data.map((s) => s.id)).toEqual([newestFirst[0]]);
    expect(top.has_more).toBe(false);
    // The SDK's auto-pagination walks the same cursors.
    const all: string[] = [];
    for await (const s of stripe.checkout.sessions.list({ limit: 2 })) all.push(s.id);
    expect(all).toEqual(newestFirst);
  });

  it('expands inside lists with data.*, and refuses what cannot be expanded', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await submitCheckout(session, { method: 'card', card_number: '4242424242424242' });
    const list = await stripe.checkout.sessions.list({ expand: ['data.payment_intent.latest_charge'] });
    const pi = list.data[0]!.payment_intent as Stripe.PaymentIntent;
    expect(pi.object).toBe('payment_intent');
    expect((pi.latest_charge as Stripe.Charge).object).toBe('charge');
    await expect(stripe.checkout.sessions.retrieve(session.id, { expand: ['metadata'] })).rejects.toMatchObject({ param: 'expand', statusCode: 400 });
    await expect(stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge.payment_intent.latest_charge.x'] }))
      .rejects.toMatchObject({ param: 'expand' });
  });

  it('a session with nothing to pay completes without a payment', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency: 'eur', unit_amount: 0, product_data: { name: 'Free' } }, quantity: 1 }] }));
    expect(session.payment_status).toBe('no_payment_required');
    const res = await submitCheckout(session, { method: 'none', email: 'john@acme.test' });
    expect(res.status).toBe(303);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: 'complete', payment_status: 'no_payment_required', payment_intent: null });
  });

  it('expires an open session once, with its event', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: 'expired', url: null, payment_status: 'unpaid' });
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
    const events = await stripe.events.list({ type: 'checkout.session.expired' });
    expect(events.data.map((e) => (e.data.object as Stripe.Checkout.Session).id)).toEqual([session.id]);
    expect((await stripe.checkout.sessions.list({ status: 'open' })).data).toHaveLength(0);
  });

  it('expires a session when its expires_at passes', async () => {
    const now = (await control<{ now: number }>(emulator, '/clock')).now;
    const session = await stripe.checkout.sessions.create(sessionParams({ expires_at: now + 1800 }));
    await control(emulator, '/clock', { advance_seconds: 1801 });
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('expired');
  });

  it('keeps amounts in minor units: JPY is zero-decimal, BHD needs a last digit of 0', async () => {
    const jpy = await stripe.checkout.sessions.create(sessionParams({
      line_items: [{ price_data: { currency: 'JPY', unit_amount: 5_000, product_data: { name: 'Consulting' } }, quantity: 3 }],
    }));
    expect(jpy).toMatchObject({ currency: 'jpy', amount_total: 15_000, payment_method_types: ['card'] });
    const page = await (await fetch(jpy.url!)).text();
    expect(page).toContain('¥15,000');
    expect(page).not.toContain('¥150.00');
    await submitCheckout(jpy, { method: 'card', card_number: '4242424242424242' });
    const pi = await stripe.paymentIntents.retrieve((await stripe.checkout.sessions.retrieve(jpy.id)).payment_intent as string);
    expect(pi).toMatchObject({ currency: 'jpy', amount: 15_000 });

    const bhd = await stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency: 'bhd', unit_amount: 1_230, product_data: { name: 'x' } }, quantity: 1 }] }));
    expect(bhd.amount_total).toBe(1_230);
    expect(await (await fetch(bhd.url!)).text()).toContain('BHD');
    await expect(stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency: 'bhd', unit_amount: 1_234, product_data: { name: 'x' } }, quantity: 1 }] })))
      .rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'line_items[0][price_data][unit_amount]' });
    await expect(stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency: 'eur', unit_amount: 49, product_data: { name: 'x' } }, quantity: 1 }] })))
      .rejects.toMatchObject({ code: 'amount_too_small' });
  });
});

describe('errors map to stripe-node error classes', () => {
  it('invalid requests name the parameter', async () => {
    const missing = await stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency: 'eur', product_data: { name: 'x' } }, quantity: 1 }] })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'line_items[0][price_data][unit_amount]' });
    expect((missing as Stripe.errors.StripeError).requestId).toMatch(/^req_/);
    await expect(stripe.checkout.sessions.create({ ...sessionParams(), surprise: 'x' } as Stripe.Checkout.SessionCreateParams))
      .rejects.toMatchObject({ type: 'StripeInvalidRequestError', message: 'Received unknown parameter: surprise' });
    await expect(stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency: 'zzz', unit_amount: 100, product_data: { name: 'x' } }, quantity: 1 }] })))
      .rejects.toMatchObject({ param: 'line_items[0][price_data][currency]' });
    await expect(stripe.checkout.sessions.create(sessionParams({ success_url: 'not a url' }))).rejects.toMatchObject({ param: 'success_url' });
  });

  it('a missing object is a 404 resource_missing', async () => {
    const err = await stripe.checkout.sessions.retrieve('cs_test_nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
    await expect(stripe.charges.list({ starting_after: 'ch_nope' })).rejects.toMatchObject({ statusCode: 404, param: 'starting_after' });
  });

  it('a wrong or missing key is an authentication error', async () => {
    const live = stripeFor(emulator, 'sk_live_123456789');
    const err = await live.checkout.sessions.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(err).toMatchObject({ statusCode: 401 });
    const res = await fetch(`${emulator.url}/v1/checkout/sessions`);
    expect(res.status).toBe(401);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('a declined confirmation is a StripeCardError carrying the decline', async () => {
    const err = await stripe.paymentIntents.create({ amount: 2_000, currency: 'usd', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'insufficient_funds' });
    const pi = (err as Stripe.errors.StripeCardError).payment_intent!;
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_payment_method');
    const ok = await stripe.paymentIntents.create({ amount: 2_000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    expect(ok.status).toBe('succeeded');
  });

  it('injected rate limits and 500s are retried by the SDK with the same idempotency key', async () => {
    await control(emulator, '/faults', { status: 429, count: 1, path: '/checkout/sessions' });
    const limited = await stripe.checkout.sessions.list().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    await control(emulator, '/faults', { status: 500, count: 2, path: '/checkout/sessions' });
    const retrying = new Stripe('sk_test_retry', { ...emulator.stripeConfig, maxNetworkRetries: 3 });
    const session = await retrying.checkout.sessions.create(sessionParams());
    expect((await stripe.checkout.sessions.list()).data.map((s) => s.id)).toEqual([session.id]);
  });

  it('every response carries a Request-Id and the API version', async () => {
    const res = await fetch(`${emulator.url}/v1/events`, { headers: { authorization: 'Bearer sk_test_x' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(res.headers.get('stripe-version')).toBeTruthy();
    const unknown = await fetch(`${emulator.url}/v1/nothing`, { headers: { authorization: 'Bearer sk_test_x' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('stripe-should-retry')).toBe('false');
  });
});
