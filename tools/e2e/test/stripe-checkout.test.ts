import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import type { Browser, Page } from 'playwright-core';
import { startStripeEmulator, type StripeEmulator } from '@atelier/tool-stripe-emulator';
import { launchBrowser } from '../src/browser.js';
import { seriousA11yViolations } from '../src/axe.js';

// The emulator's hosted checkout in real Chromium: axe clean, usable with the keyboard alone.
let emulator: StripeEmulator;
let stripe: Stripe;
let browser: Browser;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = new Stripe('sk_test_e2e', { ...emulator.stripeConfig, maxNetworkRetries: 0 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
});

async function expectAccessible(page: Page) {
  const violations = await seriousA11yViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const newSession = () =>
  stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price_data: { currency: 'eur', unit_amount: 42_000, product_data: { name: 'Invoice INV-0042' } }, quantity: 1 }],
    metadata: { invoice_id: 'inv_42' },
    // The emulator's own dashboard stands in for the merchant's page.
    success_url: `http://localhost:${emulator.port}/?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `http://localhost:${emulator.port}/?cancelled=1`,
    customer_email: 'client@acme.test',
  });

describe('the Stripe emulator hosted checkout in a browser', () => {
  it('is declined, then paid, with the keyboard alone', async () => {
    const session = await newSession();
    const page = await browser.newPage();
    await page.goto(session.url!);
    await page.getByRole('heading', { name: 'Pay €420.00' }).waitFor();
    await expectAccessible(page);

    await page.getByLabel('Email').first().focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('card_number');
    await page.keyboard.type('4000 0000 0000 0002');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Your card was declined.' }).waitFor();
    expect(await page.getByLabel('Card number').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    await page.getByLabel('Card number').focus();
    await page.keyboard.type('4242 4242 4242 4242');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('session_id') === session.id);
    await expectAccessible(page);
    await page.getByRole('heading', { name: 'Checkout Sessions' }).waitFor();
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe('paid');
    await page.close();
  });

  it('takes a bank debit and cancels back to the merchant', async () => {
    const session = await newSession();
    const page = await browser.newPage();
    await page.goto(session.url!);
    await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
    await page.getByRole('button', { name: /by debit/ }).click();
    await page.waitForURL((url) => url.searchParams.get('session_id') === session.id);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: 'complete', payment_status: 'unpaid' });

    const other = await newSession();
    await page.goto(other.url!);
    await page.getByRole('link', { name: 'Cancel and return' }).click();
    await page.waitForURL((url) => url.searchParams.get('cancelled') === '1');
    expect((await stripe.checkout.sessions.retrieve(other.id)).status).toBe('open');
    await page.close();
  });
});
