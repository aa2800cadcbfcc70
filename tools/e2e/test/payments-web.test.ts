import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitFor } from '@atelier/platform/testing';
import { launchBrowser } from '../src/browser.js';
import { apiAs, expectAccessible, signUpInBrowser } from '../src/crm.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

// The staff side of payments in the browser: a manual payment recorded on a sent invoice, seen on
// the invoice and on /payments, partly refunded; Settings › Payments with the connection and the
// webhook ledger, an event replayed.
let stack: E2eStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

interface InvoiceBody {
  id: string;
  number: string;
  status: string;
  amountDue: string;
}

let invoice: InvoiceBody;

async function untilAccepted<T>(attempt: () => Promise<T>): Promise<T> {
  return waitFor(async () => {
    try {
      return await attempt();
    } catch (e) {
      if (!/→ (400|404|409)/.test(String(e))) throw e;
      return undefined;
    }
  }, 30_000, 250);
}

async function sentInvoice(clientId: string, unitPrice: string): Promise<InvoiceBody> {
  // Billing learns of the client from crm's event: the draft is accepted once it has.
  const draft = await untilAccepted(() => apiAs<InvoiceBody>(page, stack.url, 'POST', '/api/invoices', { clientId, taxRate: '0', lineItems: [{ description: 'Design', quantity: '1', unitPrice }] }));
  await apiAs(page, stack.url, 'POST', `/api/invoices/${draft.id}/send`, { to: 'ada@acme.test' });
  return apiAs<InvoiceBody>(page, stack.url, 'GET', `/api/invoices/${draft.id}`);
}

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Payments Studio', 'Paula Payer');
  const client = await apiAs<{ id: string }>(page, stack.url, 'POST', '/api/clients', { name: 'Acme Corp', email: 'ada@acme.test', currency: 'EUR' });
  invoice = await sentInvoice(client.id, '100.00');
  expect(invoice).toMatchObject({ status: 'sent', amountDue: '100.00' });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

const payments = (p: Page) => p.getByRole('region', { name: 'Payments', exact: true });
const amountDue = (p: Page) => p.getByTestId('invoice-amount-due').getAttribute('data-amount');

describe('payments in the browser', () => {
  it('records a bank transfer on a sent invoice from its page; the invoice shows it and what is still due', async () => {
    await page.goto(`${stack.url}/invoices/${invoice.id}`);
    await payments(page).getByRole('heading', { name: 'Payments', exact: true }).waitFor();
    await payments(page).getByText('No payments yet.').waitFor();
    await expectAccessible(page, 'invoice with no payments');

    await payments(page).getByRole('button', { name: 'Record payment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record a payment' });
    await dialog.waitFor();
    // The amount due, paid today, by bank transfer: what the form starts from.
    expect(await dialog.getByLabel(/^Amount/).inputValue()).toBe('100.00');
    expect(await dialog.getByLabel('Method').inputValue()).toBe('bank_transfer');
    expect(await dialog.getByLabel('Paid on').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // A wrong amount is named on its field, in words.
    await dialog.getByLabel(/^Amount/).fill('40,00');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await dialog.locator('#record-payment-amount-error').waitFor();
    expect(await dialog.locator('#record-payment-amount-error').textContent()).toMatch(/Amount must be a number/);
    expect(await dialog.getByLabel(/^Amount/).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'record payment dialog with an error');

    await dialog.getByLabel(/^Amount/).fill('40.00');
    await dialog.getByLabel('Reference').fill('SEPA 4711');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = payments(page).getByTestId('payment-row');
    await row.waitFor();
    expect((await row.getByRole('cell').allTextContents()).map((t) => t.trim())).toEqual([expect.any(String), 'Bank transfer', '€40.00', '€0.00', 'Succeeded', 'SEPA 4711', 'Refund']);
    // Billing applies the payment from payments' event; the page reads the invoice until it has.
    await expect.poll(() => amountDue(page), { timeout: 20_000 }).toBe('60.00');
    await page.getByText('Partially paid').first().waitFor();
    await expectAccessible(page, 'invoice with a payment');
  });

  it('lists the payment on /payments, linked to its invoice by number, with filters', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payments' }).click();
    await page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
    const row = page.getByTestId('payment-row');
    await row.waitFor();
    expect(await row.count()).toBe(1);
    await row.getByRole('link', { name: invoice.number }).waitFor();
    expect(await row.getByTestId('payment-status').textContent()).toBe('Succeeded');
    await expectAccessible(page, 'payments list');

    await page.getByLabel('Method').selectOption('cash');
    await page.getByText('No matching payments').first().waitFor();
    expect(page.url()).toContain('method=cash');
    await page.getByLabel('Method').selectOption('bank_transfer');
    await row.waitFor();
    await page.getByLabel('Status').selectOption('refunded');
    await page.getByText('No matching payments').first().waitFor();
    await page.getByLabel('Status').selectOption('all');
    await row.waitFor();

    await row.getByRole('link', { name: invoice.number }).click();
    await page.getByRole('heading', { name: invoice.number, level: 1 }).waitFor();
  });

  it('refunds part of the payment; the row and the invoice follow', async () => {
    await payments(page).getByRole('button', { name: /^Refund the bank transfer payment of €40\.00/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Refund a payment' });
    await dialog.waitFor();
    expect(await dialog.getByLabel(/^Amount to refund/).inputValue()).toBe('40.00');
    await dialog.getByLabel(/^Amount to refund/).fill('40.01');
    await dialog.getByRole('button', { name: 'Refund' }).click();
    expect(await dialog.locator('#refund-payment-amount-error').textContent()).toMatch(/at most 40\.00/);
    await expectAccessible(page, 'refund dialog with an error');

    await dialog.getByLabel(/^Amount to refund/).fill('15.00');
    await dialog.getByRole('button', { name: 'Refund' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = payments(page).getByTestId('payment-row');
    await expect.poll(() => row.getByTestId('payment-status').textContent()).toBe('Partially refunded');
    expect((await row.getByRole('cell').nth(3).textContent())?.trim()).toBe('€15.00');
    await expect.poll(() => amountDue(page), { timeout: 20_000 }).toBe('75.00');
    await expectAccessible(page, 'invoice with a refund');

    await page.goto(`${stack.url}/payments?status=partially_refunded`);
    await page.getByTestId('payment-row').getByText('€15.00').waitFor();
    const list = await apiAs<{ data: { amountRefunded: string; status: string }[] }>(page, stack.url, 'GET', `/api/payments?invoiceId=${invoice.id}`);
    expect(list.data).toEqual([expect.objectContaining({ amountRefunded: '15.00', status: 'partially_refunded' })]);
  });

  it('Settings › Payments shows the emulator connection and the webhook ledger, and replays an event', async () => {
    // A card payment through the hosted checkout (the emulator): Stripe's webhooks fill the ledger.
    const clients = await apiAs<{ data: { id: string }[] }>(page, stack.url, 'GET', '/api/clients');
    const card = await sentInvoice(clients.data[0]!.id, '50.00');
    const checkout = await untilAccepted(() => apiAs<{ url: string }>(page, stack.url, 'POST', '/api/payments/checkout', { invoiceId: card.id }));
    const sessionId = new URL(checkout.url).pathname.split('/').pop()!;
    const paid = await fetch(`${stack.stripe.url}/_emulator/checkout/sessions/${sessionId}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(paid.status).toBe(200);
    await stack.stripe.idle();
    await waitFor(async () => (await apiAs<{ status: string }>(page, stack.url, 'GET', `/api/invoices/${card.id}`)).status === 'paid', 20_000, 200);

    await page.goto(`${stack.url}/settings/payments`);
    await page.getByRole('heading', { name: 'Payments', level: 2 }).waitFor();
    await page.getByTestId('payments-connection').waitFor();
    expect(await page.getByTestId('connection-mode').textContent()).toBe('The local Stripe emulator');
    expect(await page.getByTestId('connection-livemode').textContent()).toBe('Test');
    // The stack signs with a secret of its own, not the development one.
    expect(await page.getByTestId('connection-webhook-secret').textContent()).toBe('Yes');
    expect(await page.getByTestId('connection-last-webhook').textContent()).not.toBe('None yet');

    const rows = page.getByTestId('webhook-event-row');
    await rows.first().waitFor();
    const types = await rows.locator('td[data-label="Type"]').allTextContents();
    expect(types).toContain('checkout.session.completed');
    await expectAccessible(page, 'payments settings');

    const completed = rows.filter({ hasText: 'checkout.session.completed' }).first();
    const eventId = (await completed.locator('td[data-label="Event"]').textContent())!;
    const attempts = Number(await completed.locator('td[data-label="Attempts"]').textContent());
    await completed.getByRole('button', { name: `Replay ${eventId}` }).click();
    await page.getByText(`${eventId} was replayed: processed.`).waitFor();
    expect(Number(await completed.locator('td[data-label="Attempts"]').textContent())).toBeGreaterThanOrEqual(attempts);
    await expectAccessible(page, 'payments settings after a replay');
    // A replay never pays twice.
    const cardPayments = await apiAs<{ total: number }>(page, stack.url, 'GET', `/api/payments?invoiceId=${card.id}`);
    expect(cardPayments.total).toBe(1);
    expect(await apiAs<{ status: string }>(page, stack.url, 'GET', `/api/invoices/${card.id}`)).toMatchObject({ status: 'paid' });
  });

  it('the dashboard shows the payments received this month', async () => {
    await page.goto(`${stack.url}/`);
    const panel = page.getByTestId('dashboard-payments');
    await panel.getByRole('heading', { name: 'Payments received this month' }).waitFor();
    const eur = panel.getByTestId('payments-received-EUR');
    await eur.waitFor();
    // The bank transfer (40.00, paid today) and the card payment (50.00).
    expect(await eur.getAttribute('data-amount')).toBe('90.00');
    expect(await eur.textContent()).toMatch(/€90\.00\s*2 payments, €15\.00 refunded/);
    await expectAccessible(page, 'dashboard');
  });
});
