import Stripe from 'stripe';
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

async function paidIntent(currency = 'eur', amount = 10_000): Promise<string> {
  const session = await stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency, unit_amount: amount, product_data: { name: 'x' } }, quantity: 1 }] }));
  await submitCheckout(session, { method: 'card', card_number: '4242424242424242' });
  return (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
}

describe('Refunds', () => {
  it('a partial then a full refund accumulate on the charge', async () => {
    const pi = await paidIntent();
    const partial = await stripe.refunds.create({ payment_intent: pi, amount: 2_500, reason: 'requested_by_customer', metadata: { payment_id: 'p1' } });
    expect(partial).toMatchObject({ object: 'refund', amount: 2_500, status: 'succeeded', payment_intent: pi, currency: 'eur', metadata: { payment_id: 'p1' } });
    let charge = await stripe.charges.retrieve(partial.charge as string);
    expect(charge).toMatchObject({ amount: 10_000, amount_refunded: 2_500, refunded: false });

    // No amount: the rest.
    const rest = await stripe.refunds.create({ charge: charge.id });
    expect(rest.amount).toBe(7_500);
    charge = await stripe.charges.retrieve(charge.id);
    expect(charge).toMatchObject({ amount_refunded: 10_000, refunded: true });

    const refunded = (await stripe.events.list({ type: 'charge.refunded' })).data.map((e) => (e.data.object as Stripe.Charge).amount_refunded);
    expect(refunded).toEqual([10_000, 2_500]);
    const previous = (await stripe.events.list({ type: 'charge.refunded', limit: 1 })).data[0]!.data.previous_attributes;
    expect(previous).toEqual({ amount_refunded: 2_500, refunded: false });
    expect((await stripe.refunds.list({ payment_intent: pi })).data.map((r) => r.amount)).toEqual([7_500, 2_500]);
    expect((await stripe.refunds.retrieve(rest.id)).id).toBe(rest.id);
  });

  it('refusing more than remains, and a charge already refunded', async () => {
    const pi = await paidIntent();
    await stripe.refunds.create({ payment_intent: pi, amount: 6_000 });
    const tooMuch = await stripe.refunds.create({ payment_intent: pi, amount: 4_001 }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({ code: 'amount_too_large', param: 'amount' });
    expect((tooMuch as Error).message).toContain('€40.00');
    await stripe.refunds.create({ payment_intent: pi, amount: 4_000 });
    await expect(stripe.refunds.create({ payment_intent: pi })).rejects.toMatchObject({ code: 'charge_already_refunded' });
    await expect(stripe.refunds.create({ payment_intent: 'pi_missing' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    await expect(stripe.refunds.create({ amount: 1 })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('an unpaid intent has nothing to refund', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    await submitCheckout(session, { method: 'card', card_number: '4000000000000002' });
    const pi = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    await expect(stripe.refunds.create({ payment_intent: pi })).rejects.toMatchObject({ code: 'charge_not_refundable' });
  });

  it('refunds JPY in whole yen', async () => {
    const pi = await paidIntent('jpy', 5_000);
    const refund = await stripe.refunds.create({ payment_intent: pi, amount: 1_999 });
    expect(refund).toMatchObject({ amount: 1_999, currency: 'jpy' });
    expect((await stripe.charges.retrieve(refund.charge as string)).amount_refunded).toBe(1_999);
  });

  it('a refund the bank returns fails and gives the amount back to the charge', async () => {
    const pi = await paidIntent();
    const refund = await stripe.refunds.create({ payment_intent: pi, amount: 1_000 });
    await control(emulator, `/refunds/${refund.id}/fail`, {});
    expect((await stripe.refunds.retrieve(refund.id)).status).toBe('failed');
    expect((await stripe.charges.retrieve(refund.charge as string)).amount_refunded).toBe(0);
    const updated = (await stripe.events.list({ type: 'refund.updated' })).data[0]!;
    expect(updated.data.previous_attributes).toMatchObject({ status: 'succeeded' });
  });
});
