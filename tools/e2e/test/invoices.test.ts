import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { linkIn } from '@atelier/platform/testing';
import { launchBrowser } from '../src/browser.js';
import { apiAs, expectAccessible, signUpInBrowser } from '../src/crm.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

let stack: E2eStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

interface Created {
  id: string;
}
interface InvoiceBody {
  id: string;
  status: string;
  total: string;
  subtotal: string;
  taxAmount: string;
  discountAmount: string;
  currency: string;
  lineItems: { description: string; sortOrder: number; amount: string; timeEntryIds: string[] }[];
}

let client: Created;
/** The draft made from the project's time (sent, viewed, reminded and voided below). */
let timeDraft = '';

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Invoice Studio', 'Ivy Biller');
  client = await apiAs<Created>(page, stack.url, 'POST', '/api/clients', { name: 'Acme Corp', currency: 'EUR' });
  // Billing learns of the client from crm's event: a draft for it is accepted once it has.
  await untilAccepted(async () => {
    const probe = await apiAs<Created>(page, stack.url, 'POST', '/api/invoices', { clientId: client.id });
    await apiAs(page, stack.url, 'DELETE', `/api/invoices/${probe.id}`);
  });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

async function untilCreated<T>(attempt: () => Promise<T>): Promise<T> {
  let result: T | undefined;
  await untilAccepted(async () => (result = await attempt()));
  return result!;
}

async function untilAccepted(attempt: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (e) {
      if (Date.now() > deadline || !/→ (400|404|409)/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const h1 = (p: Page, name: string | RegExp) => p.getByRole('heading', { name, level: 1 });
const line = (p: Page, i: number) => p.getByTestId('invoice-line').nth(i);

describe('invoices in the browser', () => {
  it('Settings › Invoicing: owners set the number format, rounding, default tax and reminders on the form', async () => {
    await page.goto(`${stack.url}/settings/invoicing`);
    await page.getByRole('heading', { name: 'Invoicing', level: 2 }).waitFor();
    await page.getByLabel('Number format').waitFor();
    await expectAccessible(page, 'invoicing settings');
    await page.getByLabel('Number format').fill('AC-{YY}-{SEQ:3}');
    await expect.poll(() => page.getByTestId('number-example').textContent()).toMatch(/AC-\d\d-001/);
    await page.getByLabel('Default tax rate').fill('19');
    await page.getByLabel('Tax rounding').selectOption('line');
    await page.getByLabel('Reminders').fill('3, 10');
    await page.getByRole('button', { name: 'Save invoicing settings' }).click();
    await page.getByText(/Invoicing settings saved/).waitFor();
    const saved = await apiAs<{ numberFormat: string; defaultTaxRate: string; rounding: string; reminderDays: number[] }>(page, stack.url, 'GET', '/api/settings/invoicing');
    expect(saved).toMatchObject({ numberFormat: 'AC-{YY}-{SEQ:3}', defaultTaxRate: '19', rounding: 'line', reminderDays: [3, 10] });

    // A bad format is named under its field, in words.
    await page.getByLabel('Number format').fill('INV-{YYYY}');
    await page.getByRole('button', { name: 'Save invoicing settings' }).click();
    await page.locator('#invoicing-number-format-error').waitFor();
    expect(await page.locator('#invoicing-number-format-error').textContent()).toMatch(/SEQ/);
    await expectAccessible(page, 'invoicing settings with an error');
  });

  it('the builder: lines added and reordered by keyboard, a discount, live totals that equal the saved invoice’s', async () => {
    await page.goto(`${stack.url}/invoices`);
    await h1(page, 'Invoices').waitFor();
    await page.getByText('No invoices yet').waitFor();
    await expectAccessible(page, 'empty invoice list');

    await page.getByRole('link', { name: 'New invoice' }).click();
    await h1(page, 'New invoice').waitFor();
    await page.getByRole('combobox', { name: 'Client', exact: true }).selectOption({ label: 'Acme Corp' });
    // The client's currency, and the default tax from the settings.
    await expect.poll(() => page.getByLabel('Currency').inputValue()).toMatch(/EUR/);
    expect(await page.getByLabel('Tax rate', { exact: true }).inputValue()).toBe('19');

    await page.getByLabel('Line 1 description').fill('Design');
    await page.getByLabel('Line 1 quantity').fill('1');
    await page.getByLabel('Line 1 unit price').fill('138.66');
    // The golden case: 138.66 at 19 % → tax 26.35, total 165.01.
    await expect.poll(() => page.getByTestId('live-total').textContent()).toBe('€165.01');
    expect(await page.getByTestId('live-tax').textContent()).toBe('€26.35');

    await page.getByRole('button', { name: 'Add line' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id)).toMatch(/description/);
    await page.getByLabel('Line 2 description').fill('Hosting');
    await page.getByLabel('Line 2 quantity').fill('3');
    await page.getByLabel('Line 2 unit price').fill('0.05');
    await page.getByLabel('Line 2 tax rate').fill('0');
    await expect.poll(() => line(page, 1).getByTestId('line-amount').textContent()).toBe('€0.15');

    // Keyboard reorder: Space lifts Hosting, ArrowUp moves it first, Space drops it.
    const handle = page.getByRole('button', { name: /^Move Hosting/ });
    await handle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('lines-announcer').textContent()).toMatch(/Picked up Hosting/);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('lines-announcer').textContent()).toMatch(/Dropped Hosting in the invoice, position 1 of 2/);
    expect(await line(page, 0).getByLabel('Line 1 description').inputValue()).toBe('Hosting');

    await page.getByLabel('Kind').selectOption('percent');
    await page.getByLabel('Percent').fill('10');
    await expect.poll(() => page.getByTestId('live-discount').textContent()).toBe('−€13.88');
    const liveTotal = await page.getByTestId('live-total').textContent();
    await expectAccessible(page, 'invoice builder');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await h1(page, 'Draft invoice').waitFor();
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    const saved = await apiAs<InvoiceBody>(page, stack.url, 'GET', `/api/invoices/${id}`);
    // The screen's live figures are the server's, to the cent.
    expect(`€${saved.total}`).toBe(liveTotal);
    expect(saved.lineItems.sort((a, b) => a.sortOrder - b.sortOrder).map((l) => l.description)).toEqual(['Hosting', 'Design']);
    expect(await page.getByTestId('figure-total').textContent()).toBe(liveTotal);
    await page.getByTestId('invoice-history').getByText('Draft').waitFor();
    await expectAccessible(page, 'draft invoice');

    // Edited again: a line removed, the totals follow, and the save keeps the change.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await h1(page, /Edit draft invoice/).waitFor();
    await page.getByRole('button', { name: 'Remove Hosting' }).click();
    await expect.poll(() => page.getByTestId('invoice-line').count()).toBe(1);
    await page.getByLabel('Kind').selectOption('none');
    await expect.poll(() => page.getByTestId('live-total').textContent()).toBe('€165.01');
    await page.getByRole('button', { name: 'Save & continue' }).click();
    await page.getByText('Draft saved.').waitFor();
    const edited = await apiAs<InvoiceBody>(page, stack.url, 'GET', `/api/invoices/${id}`);
    expect([edited.total, edited.taxAmount, edited.lineItems.length]).toEqual(['165.01', '26.35', 1]);
  });

  it('a draft from a project’s unbilled time: the preview of what will be billed, typed lines kept, pointer reorder, totals equal the server’s', async () => {
    const project = await untilCreated(() => apiAs<Created>(page, stack.url, 'POST', '/api/projects', { clientId: client.id, name: 'Website', isBillable: true, hourlyRate: '100.00', currency: 'EUR' }));
    const task = await apiAs<Created>(page, stack.url, 'POST', `/api/projects/${project.id}/tasks`, { title: 'Design' });
    await apiAs(page, stack.url, 'POST', '/api/time-entries', { projectId: project.id, taskId: task.id, minutes: 90, date: '2026-11-02', description: 'Wireframes', isBillable: true });
    await apiAs(page, stack.url, 'POST', '/api/time-entries', { projectId: project.id, taskId: task.id, minutes: 30, date: '2026-11-03', description: 'Review', isBillable: true });
    // Billing learns of the time from projects' events.
    await expect
      .poll(async () => (await apiAs<{ data: { projectId: string; entryCount: number }[] }>(page, stack.url, 'GET', `/api/invoices/unbilled?clientId=${client.id}`)).data.find((p) => p.projectId === project.id)?.entryCount, { timeout: 30_000 })
      .toBe(2);

    await page.goto(`${stack.url}/projects/${project.id}`);
    await page.getByText('No invoices for Website yet.').waitFor();
    await page.getByRole('link', { name: 'New invoice' }).click();
    await h1(page, 'New invoice').waitFor();
    await expect.poll(() => page.getByLabel('Project', { exact: true }).locator('option:checked').textContent()).toBe('Website');
    await page.getByLabel('Line 1 description').fill('Domain');
    await page.getByLabel('Line 1 unit price').fill('12.00');

    await page.getByRole('button', { name: 'Add unbilled time…' }).click();
    const dialog = page.getByTestId('unbilled-dialog');
    await dialog.getByRole('heading', { name: 'Add unbilled time' }).waitFor();
    await expect.poll(() => dialog.getByTestId('unbilled-entry').count()).toBe(2);
    expect(await dialog.getByRole('radio', { name: /Website/ }).isChecked()).toBe(true);
    expect(await dialog.getByTestId('unbilled-preview-summary').textContent()).toMatch(/2 entries, 2 h, €200\.00/);
    await dialog.getByText('The 1 line you typed stay on the invoice').waitFor();
    await expectAccessible(page, 'unbilled time dialog');
    await dialog.getByRole('button', { name: 'Add this time' }).click();

    await h1(page, /Edit draft invoice/).waitFor();
    const id = new URL(page.url()).pathname.split('/').at(-2)!;
    timeDraft = id;
    await expect.poll(() => page.getByTestId('invoice-line').count()).toBe(2);
    await line(page, 0).getByText('Bills 2 time entries').waitFor();
    expect(await page.getByLabel('Line 2 description').inputValue()).toBe('Domain');
    // 2 h × €100 + €12, 19 % on both.
    await expect.poll(() => page.getByTestId('live-total').textContent()).toBe('€252.28');

    // Pointer reorder: Domain's handle dragged above the time line.
    const domainHandle = page.getByRole('button', { name: /^Move Domain/ });
    await domainHandle.hover();
    await page.mouse.down();
    // Measured after the press, where the rows are now (nothing shifts them while dragging).
    const at = (await domainHandle.boundingBox())!;
    const top = (await line(page, 0).boundingBox())!;
    await page.mouse.move(at.x + at.width / 2, at.y - 12, { steps: 3 });
    await page.mouse.move(at.x + at.width / 2, top.y + 3, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getByLabel('Line 1 description').inputValue()).toBe('Domain');
    await expectAccessible(page, 'builder with time');
    const liveTotal = await page.getByTestId('live-total').textContent();
    await page.getByRole('button', { name: 'Save & continue' }).click();
    await page.getByText('Draft saved.').waitFor();

    const saved = await apiAs<InvoiceBody & { projectId: string }>(page, stack.url, 'GET', `/api/invoices/${id}`);
    expect(`€${saved.total}`).toBe(liveTotal);
    const ordered = saved.lineItems.sort((a, b) => a.sortOrder - b.sortOrder);
    expect(ordered.map((l) => [l.description === 'Domain', l.timeEntryIds.length])).toEqual([
      [true, 0],
      [false, 2],
    ]);
    expect(saved.projectId).toBe(project.id);
    // The time is on this draft now: nothing of the project is left to bill.
    const left = await apiAs<{ data: { projectId: string }[] }>(page, stack.url, 'GET', `/api/invoices/unbilled?clientId=${client.id}`);
    expect(left.data.some((p) => p.projectId === project.id)).toBe(false);
  });

  it('the list: status tabs with counts and sums, search, and the client’s page lists its invoices', async () => {
    await page.goto(`${stack.url}/invoices`);
    await h1(page, 'Invoices').waitFor();
    await expect.poll(async () => (await page.getByTestId('tab-count-draft').textContent())?.trim()).toBe('2');
    expect(await page.getByTestId('tab-draft').textContent()).toContain('€417.29');
    expect((await page.getByTestId('tab-count-sent').textContent())?.trim()).toBe('0');
    await expect.poll(() => page.getByTestId('invoice-row').count()).toBe(2);
    await expectAccessible(page, 'invoice list');

    await page.getByTestId('tab-sent').click();
    await page.getByText('No invoices match your search or filter').waitFor();
    await page.getByTestId('tab-all').click();
    await page.getByLabel('Search invoices').fill('acme');
    await page.getByLabel('Search invoices').press('Enter');
    await expect.poll(() => page.getByTestId('invoice-row').count()).toBe(2);
    await page.getByLabel('Search invoices').fill('nobody');
    await page.getByLabel('Search invoices').press('Enter');
    await page.getByText('No invoices match your search or filter').waitFor();

    await page.goto(`${stack.url}/clients/${client.id}`);
    await expect.poll(() => page.getByTestId('related-invoices').getByRole('link', { name: 'Draft invoice' }).count()).toBe(2);
    await expectAccessible(page, 'client page with invoices');

    await page.goto(`${stack.url}/`);
    await page.getByTestId('dashboard-outstanding').waitFor();
    expect(await page.getByTestId('dashboard-outstanding').textContent()).toContain('Nothing');
    await expectAccessible(page, 'dashboard with invoices');
  });

  it('the public page of an unknown link says so, without signing in', async () => {
    const visitor = await browser.newContext();
    const p = await visitor.newPage();
    await p.goto(`${stack.url}/i/${'x'.repeat(43)}`);
    await h1(p, 'Invoice not found').waitFor();
    expect(p.url()).not.toContain('/login');
    await expectAccessible(p, 'public invoice page, unknown link');
    await visitor.close();
  });

  it('preview the real PDF, send it (the email arrives with the PDF), the client opens the public link and the invoice shows as viewed; remind; void', async () => {
    await page.goto(`${stack.url}/invoices/${timeDraft}`);
    await h1(page, 'Draft invoice').waitFor();
    // The PDF in the page is the server's own file, and our origin may frame it.
    const [pdf] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/invoices/${timeDraft}/pdf`)),
      page.getByRole('button', { name: 'Show the PDF' }).click(),
    ]);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(pdf.headers()['x-frame-options']).toBe('SAMEORIGIN');
    const file = await page.request.get(`${stack.url}/api/invoices/${timeDraft}/pdf`);
    expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByTestId('invoice-pdf').waitFor();
    // A frame our origin may not frame ends on Chromium's error page; this one loads (headless
    // Chromium has no PDF viewer, so the frame itself stays blank rather than drawing the pages).
    await page.waitForLoadState('networkidle');
    expect(page.frames().map((f) => f.url()).filter((u) => u.startsWith('chrome-error:'))).toEqual([]);
    await expectAccessible(page, 'invoice with its PDF');

    await page.getByRole('button', { name: 'Send…' }).click();
    const dialog = page.getByTestId('send-dialog');
    await dialog.getByRole('heading', { name: 'Send the invoice' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('send-dialog-to');
    await dialog.getByLabel('To').fill('not-an-address');
    await dialog.getByRole('button', { name: 'Send invoice' }).click();
    await dialog.getByText('To must be an email address, such as name@example.com').waitFor();
    await dialog.getByLabel('To').fill('ada@acme.test');
    await dialog.getByLabel('Cc').fill('boss@acme.test');
    await dialog.getByLabel('Message').fill('Thanks for the project!');
    await expect.poll(() => dialog.getByTestId('email-body').textContent()).toContain('Thanks for the project!');
    expect(await dialog.getByTestId('email-subject').textContent()).toBe('Invoice [number given when sent] from Invoice Studio');
    await expectAccessible(page, 'send dialog');
    await dialog.getByRole('button', { name: 'Send invoice' }).click();

    await page.getByText('AC-26-001 was sent to ada@acme.test.').waitFor();
    await h1(page, 'AC-26-001').waitFor();
    expect(await page.getByTestId('invoice-status').first().textContent()).toBe('Sent');

    const mail = await stack.smtp.next((m) => m.rcptTo.includes('ada@acme.test'), 30_000);
    expect(mail.rcptTo).toContain('boss@acme.test');
    expect(mail.parsed.subject).toBe('Invoice AC-26-001 from Invoice Studio');
    expect(mail.parsed.text).toContain('Thanks for the project!');
    expect(mail.parsed.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    expect(mail.parsed.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    const link = new URL(linkIn(mail, 'http'));
    expect(link.pathname).toMatch(/^\/i\/[A-Za-z0-9_-]{22,}$/);

    // The client, signed in nowhere, opens the link.
    const visitor = await browser.newContext();
    const client = await visitor.newPage();
    await client.goto(`${stack.url}${link.pathname}`);
    await h1(client, 'Invoice AC-26-001').waitFor();
    expect(client.url()).not.toContain('/login');
    expect(await client.getByTestId('public-amount-due').textContent()).toBe('Amount due: €252.28');
    expect(await client.getByRole('link', { name: 'Download PDF' }).getAttribute('href')).toMatch(/^\/api\/public\/invoices\/.+\/pdf$|^http.+\/pdf$/);
    await expectAccessible(client, 'public invoice page');

    // The staff page shows it viewed, with the step in its history.
    await expect
      .poll(async () => {
        await page.reload();
        await h1(page, 'AC-26-001').waitFor();
        return page.getByTestId('invoice-status').first().textContent();
      }, { timeout: 20_000 })
      .toBe('Viewed');
    await page.getByTestId('invoice-viewed-at').waitFor();
    await page.getByTestId('invoice-history').getByText('Viewed').waitFor();

    await page.getByRole('button', { name: 'Remind…' }).click();
    const remind = page.getByTestId('remind-dialog');
    await remind.getByLabel('To').fill('ada@acme.test');
    await remind.getByRole('button', { name: 'Send reminder' }).click();
    await page.getByText('A reminder was sent to ada@acme.test.').waitFor();
    const reminder = await stack.smtp.next((m) => m.rcptTo.includes('ada@acme.test') && /^Reminder:/.test(m.parsed.subject ?? ''), 30_000);
    expect(reminder.parsed.subject).toContain('AC-26-001');

    await page.goto(`${stack.url}/invoices?status=viewed`);
    await expect.poll(async () => (await page.getByTestId('tab-count-viewed').textContent())?.trim()).toBe('1');
    await page.getByTestId('invoice-row').filter({ hasText: 'AC-26-001' }).waitFor();
    await page.goto(`${stack.url}/`);
    await expect.poll(() => page.getByTestId('dashboard-outstanding').textContent()).toContain('€252.28');

    await page.goto(`${stack.url}/invoices/${timeDraft}`);
    await page.getByRole('button', { name: 'Void' }).click();
    const voiding = page.getByRole('dialog', { name: 'Void AC-26-001?' });
    await voiding.getByRole('button', { name: 'Void invoice' }).click();
    await page.getByText('AC-26-001 is void.').waitFor();
    await client.reload();
    await h1(client, 'Invoice not found').waitFor();
    await expectAccessible(client, 'public page of a void invoice');
    await visitor.close();
  });
});
