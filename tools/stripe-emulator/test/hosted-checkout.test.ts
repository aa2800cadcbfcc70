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

const eventTypes = async () => (await stripe.events.list({ limit: 100 })).data.map((e) => e.type).reverse();

describe('the hosted checkout page', () => {
  it('is a labelled form a keyboard and an HTTP client can use', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const res = await fetch(session.url!);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('€123.45');
    expect(page).toContain('Invoice INV-0001');
    for (const id of ['card_number', 'expiry', 'cvc', 'card-email', 'iban']) {
      expect(page).toMatch(new RegExp(`<label for="${id}">`));
      expect(page).toMatch(new RegExp(`id="${id}"`));
    }
    expect(page).toContain('value="john@acme.test"');
    expect(page).not.toMatch(/tabindex="[1-9]/);
  });

  it('4242 4242 4242 4242 pays: redirect to success_url with the session id, PaymentIntent and Charge succeeded', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const res = await submitCheckout(session, { method: 'card', card_number: '4242 4242 4242 4242', expiry: '12 / 39', cvc: '123', name: 'John Doe', email: 'john@acme.test' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://localhost:3000/pay/tok?session_id=${session.id}`);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    expect(paid).toMatchObject({ status: 'complete', payment_status: 'paid', url: null, customer_details: { email: 'john@acme.test', name: 'John Doe' } });
    const charges = await stripe.charges.list({ payment_intent: paid.payment_intent as string });
    expect(charges.data).toHaveLength(1);
    expect(charges.data[0]).toMatchObject({ status: 'succeeded', amount: 12_345, amount_refunded: 0, refunded: false, metadata: { invoice_id: 'inv_1' }, payment_method_details: { type: 'card', card: { last4: '4242', brand: 'visa' } } });
    expect(await eventTypes()).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed']);
    // Paying twice is impossible.
    expect((await submitCheckout(session, { method: 'card', card_number: '4242424242424242' })).status).toBe(409);
  });

  it.each([
    ['4000 0000 0000 0002', 'generic_decline', 'Your card was declined.'],
    ['4000 0000 0000 9995', 'insufficient_funds', 'Your card has insufficient funds.'],
  ])('%s is declined (%s): the page says so and the session stays open', async (card, declineCode, message) => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const res = await submitCheckout(session, { method: 'card', card_number: card });
    expect(res.status).toBe(402);
    const page = await res.text();
    expect(page).toContain(message);
    expect(page).toContain('role="alert"');
    expect(page).toMatch(/id="card_number"[^>]*aria-invalid="true"/);
    const open = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(open).toMatchObject({ status: 'open', payment_status: 'unpaid' });
    const pi = open.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ status: 'requires_payment_method', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: declineCode } });
    expect((await stripe.charges.retrieve(pi.latest_charge as string))).toMatchObject({ status: 'failed', failure_code: 'card_declined', paid: false });
    expect(await eventTypes()).toEqual(['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed']);
    // The customer can try again with a good card on the same PaymentIntent.
    expect((await submitCheckout(session, { method: 'card', card_number: '4242424242424242' })).status).toBe(303);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    expect(paid).toMatchObject({ status: 'complete', payment_status: 'paid', payment_intent: pi.id });
  });

  it('refuses a number that is no card number without charging', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const res = await submitCheckout(session, { method: 'card', card_number: '4242 4242 4242 4241' });
    expect(res.status).toBe(402);
    expect(await res.text()).toContain('Your card number is incorrect.');
    expect((await stripe.paymentIntents.list()).data).toHaveLength(0);
    expect((await submitCheckout(session, { method: 'card', card_number: '4242424242424242', expiry: '01 / 20' })).status).toBe(400);
  });

  it('cancel goes back to cancel_url and leaves the session open', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const res = await fetch(`${session.url}/cancel`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('http://localhost:3000/pay/tok?cancelled=1');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('a bank debit completes the session unpaid, then succeeds later', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const res = await submitCheckout(session, { method: 'sepa_debit', iban: 'DE89 3704 0044 0532 0130 00', name: 'Acme Corp' });
    expect(res.status).toBe(303);
    const pending = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(pending).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    expect((pending.payment_intent as Stripe.PaymentIntent).status).toBe('processing');
    await control(emulator, `/checkout/sessions/${session.id}/async`, { outcome: 'succeeded' });
    const settled = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge'] });
    expect(settled.payment_status).toBe('paid');
    expect(((settled.payment_intent as Stripe.PaymentIntent).latest_charge as Stripe.Charge)).toMatchObject({ status: 'succeeded', paid: true, payment_method_details: { type: 'sepa_debit' } });
    expect(await eventTypes()).toEqual(['payment_intent.created', 'charge.pending', 'payment_intent.processing', 'checkout.session.completed',
      'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.async_payment_succeeded']);
  });

  it('a bank debit that fails later leaves the session unpaid', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await submitCheckout(session, { method: 'sepa_debit', iban: 'DE62370400440532013001' });
    await control(emulator, `/checkout/sessions/${session.id}/async`, { outcome: 'failed' });
    const failed = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(failed).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    expect((failed.payment_intent as Stripe.PaymentIntent).status).toBe('requires_payment_method');
    expect((await eventTypes()).slice(-3)).toEqual(['charge.failed', 'payment_intent.payment_failed', 'checkout.session.async_payment_failed']);
    await expect(control(emulator, `/checkout/sessions/${session.id}/async`, { outcome: 'succeeded' })).rejects.toThrow(/400/);
  });

  it('settles a bank debit by itself after the configured delay, by its IBAN', async () => {
    const own = await startEmulator({ asyncPaymentDelayMs: 50 });
    try {
      const ok = await own.stripe.checkout.sessions.create(sessionParams());
      const bad = await own.stripe.checkout.sessions.create(sessionParams());
      await submitCheckout(ok, { method: 'sepa_debit', iban: 'DE89370400440532013000' });
      await submitCheckout(bad, { method: 'sepa_debit', iban: 'DE62370400440532013001' });
      await new Promise((r) => setTimeout(r, 200));
      expect((await own.stripe.checkout.sessions.retrieve(ok.id)).payment_status).toBe('paid');
      const types = (await own.stripe.events.list({ type: 'checkout.session.async_payment_*' })).data.map((e) => [(e.data.object as Stripe.Checkout.Session).id, e.type]);
      expect(types).toEqual(expect.arrayContaining([[ok.id, 'checkout.session.async_payment_succeeded'], [bad.id, 'checkout.session.async_payment_failed']]));
    } finally {
      await own.emulator.stop();
    }
  });

  it('rejects an invalid IBAN on the page', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const res = await submitCheckout(session, { method: 'sepa_debit', iban: 'DE00 1234' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Your IBAN is invalid.');
  });

  it('an expired session cannot be paid', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(session.id);
    expect((await submitCheckout(session, { method: 'card', card_number: '4242424242424242' })).status).toBe(409);
    expect(await (await fetch(session.url!)).text()).toContain('expired');
  });
});
