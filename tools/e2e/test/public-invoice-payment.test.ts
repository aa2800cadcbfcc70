import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@atelier/platform/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../src/browser.js';
import { apiAs, expectAccessible, signUpInBrowser } from '../src/crm.js';
import { payOnHostedCheckout, startPayment } from '../src/milestone-flow.js';
import { followPublicLinks, startE2eStack, type E2eStack } from '../src/stack.js';

// The public invoice page's payment part, in real Chromium against the whole platform and the
// Stripe emulator: what remains after a partial payment, a cancelled checkout, a paid one that
// says "Payment processing" while the webhook is held and turns Paid by itself once it lands.
let stack: E2eStack;
let browser: Browser;
let staff: BrowserContext;
let page: Page;
let invoiceId = '';
let publicPath = '';
let clientId = '';

interface InvoiceBody {
  id: string;
  status: string;
  amountDue: string;
  publicUrl: string | null;
}

async function retry<T>(attempt: () => Promise<T>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (Date.now() > deadline || !/→ (400|404|409)/.test(String(e))) throw new Error(`${what}: ${String(e)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  staff = await browser.newContext();
  page = await staff.newPage();
  // Arranged through the API: this file is about the public page, not the staff screens.
  await signUpInBrowser(page, stack.url, 'Public Pay Studio', 'Pia Payee');
  const client = await apiAs<{ id: string }>(page, stack.url, 'POST', '/api/clients', { name: 'Acme Corp', email: 'ada@acme.test', currency: 'EUR' });
  clientId = client.id;
  const draft = await retry(
    () => apiAs<InvoiceBody>(page, stack.url, 'POST', '/api/invoices', { clientId: client.id, taxRate: '0', lineItems: [{ description: 'Design', quantity: '2', unitPrice: '60.00' }] }),
    'billing to know the client',
  );
  invoiceId = draft.id;
  await apiAs(page, stack.url, 'POST', `/api/invoices/${invoiceId}/send`, { to: 'ada@acme.test' });
  const sent = await apiAs<InvoiceBody>(page, stack.url, 'GET', `/api/invoices/${invoiceId}`);
  publicPath = new URL(sent.publicUrl!).pathname;
  // A bank transfer of €20 came in first: €100 remains.
  await retry(
    () => apiAs(page, stack.url, 'POST', '/api/payments', { invoiceId, amount: '20.00', method: 'bank_transfer', paidOn: new Date().toISOString().slice(0, 10), reference: 'TRF-1' }),
    'payments to know the invoice',
  );
  await waitFor(async () => (await apiAs<InvoiceBody>(page, stack.url, 'GET', `/api/invoices/${invoiceId}`)).amountDue === '100.00', 30_000);
});
afterAll(async () => {
  await staff?.close();
  await browser?.close();
  await stack?.stop();
});

describe('the public invoice page, paying', () => {
  it('shows what remains, comes back from a cancelled checkout saying so, and from a paid one says "Payment processing" until the webhook lands, then Paid', async () => {
    const visitor = await browser.newContext();
    await followPublicLinks(visitor, stack);
    const client = await visitor.newPage();
    await client.goto(`${stack.url}${publicPath}`);
    await client.getByRole('heading', { name: /^Invoice / , level: 1 }).waitFor();
    expect(await client.getByTestId('public-amount-due').textContent()).toContain('Amount due: €100.00');
    expect(await client.getByTestId('public-partly-paid').textContent()).toContain('€20.00 of €120.00 is paid; €100.00 remains.');
    await client.getByRole('button', { name: 'Pay now' }).waitFor();
    await expectAccessible(client, 'public invoice page, partly paid');

    // Cancelled on the hosted page: back here, told so, and still able to pay.
    await startPayment(client);
    await client.getByRole('heading', { name: 'Pay €100.00' }).waitFor();
    await client.getByRole('link', { name: 'Cancel and return' }).click();
    await client.waitForURL((url) => url.pathname === publicPath && url.searchParams.get('checkout') === 'cancelled');
    await client.getByRole('status').filter({ hasText: 'The payment was cancelled; nothing was charged.' }).waitFor();
    await client.getByRole('button', { name: 'Pay now' }).waitFor();
    await expectAccessible(client, 'public invoice page, checkout cancelled');

    // Paid, with Stripe's webhook held back: the page waits, politely, and does not offer to pay again.
    stack.stripe.emulator.webhooks.chaos.hold = true;
    await startPayment(client);
    await payOnHostedCheckout(client);
    const status = client.getByTestId('payment-status');
    expect(await status.getAttribute('role')).toBe('status');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    await status.getByText(/^Payment processing\./).waitFor();
    expect(await client.getByRole('button', { name: 'Pay now' }).count()).toBe(0);
    await expectAccessible(client, 'public invoice page, payment processing');
    expect((await apiAs<InvoiceBody>(page, stack.url, 'GET', `/api/invoices/${invoiceId}`)).status).toBe('partially_paid');

    // The webhook lands: the page, polling on its own, turns Paid without a reload.
    expect(stack.stripe.emulator.webhooks.release()).toBeGreaterThan(0);
    await status.getByText(/^Paid\./).waitFor({ timeout: 60_000 });
    await client.getByTestId('public-status').filter({ hasText: 'Paid' }).waitFor();
    expect(await client.getByTestId('public-amount-due').textContent()).toContain('Paid in full.');
    expect(await client.getByTestId('public-partly-paid').count()).toBe(0);
    expect(await client.getByRole('button', { name: 'Pay now' }).count()).toBe(0);
    await expectAccessible(client, 'public invoice page, paid');
    expect(await apiAs<InvoiceBody>(page, stack.url, 'GET', `/api/invoices/${invoiceId}`)).toMatchObject({ status: 'paid', amountDue: '0.00' });

    // Coming back later to the plain link: Paid, nothing to pay.
    await client.goto(`${stack.url}${publicPath}`);
    await client.getByTestId('public-status').filter({ hasText: 'Paid' }).waitFor();
    expect(await client.getByRole('button', { name: 'Pay now' }).count()).toBe(0);
    await visitor.close();
  });

  it('after a few minutes without the webhook, says the payment is still processing and to refresh later', async () => {
    const other = await apiAs<InvoiceBody>(page, stack.url, 'POST', '/api/invoices', { clientId, taxRate: '0', lineItems: [{ description: 'Hosting', quantity: '1', unitPrice: '30.00' }] });
    await apiAs(page, stack.url, 'POST', `/api/invoices/${other.id}/send`, { to: 'ada@acme.test' });
    const path = new URL((await apiAs<InvoiceBody>(page, stack.url, 'GET', `/api/invoices/${other.id}`)).publicUrl!).pathname;

    // Back "from checkout" with no payment behind it. The page's clock is Playwright's, so the
    // minutes of polling pass at once; each step lets the page's real request finish.
    const visitor = await browser.newContext();
    const client = await visitor.newPage();
    await client.clock.install();
    await client.goto(`${stack.url}${path}?checkout=success&session_id=cs_test_none`);
    const status = client.getByTestId('payment-status');
    await status.getByText(/^Payment processing\./).waitFor();
    const slow = status.getByText('Your payment is still processing. It can take a while to be confirmed; refresh this page later to see it.');
    await expect
      .poll(
        async () => {
          await client.clock.runFor(11_000);
          return slow.isVisible();
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBe(true);
    await expectAccessible(client, 'public invoice page, still processing');
    // And it has stopped asking: more time brings no more requests.
    let asked = 0;
    client.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/public/invoices/')) asked += 1;
    });
    await client.clock.runFor(120_000);
    await client.waitForTimeout(300);
    expect(asked).toBe(0);
    await visitor.close();
  });
});
