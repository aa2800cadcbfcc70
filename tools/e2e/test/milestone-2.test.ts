import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { linkIn } from '@atelier/platform/testing';
import { launchBrowser } from '../src/browser.js';
import { expectAccessible } from '../src/crm.js';
import {
  addPrimaryContact,
  addTasks,
  clientTimeline,
  createClient,
  createProject,
  inOrder,
  invoiceProjectTime,
  logTimeManually,
  logTimeWithTimer,
  expectInvoicePaymentListed,
  payOnHostedCheckout,
  previewPdf,
  sendInvoice,
  signUpAgency,
  startPayment,
  TimingRecorder,
  waitForPublicPaid,
  waitForStaffPaid,
} from '../src/milestone-flow.js';
import { followPublicLinks, startE2eStack, type E2eStack } from '../src/stack.js';

// The Milestone-2 gate: the seed's whole flow through the web UI of the real platform, the
// client paying on the Stripe emulator's hosted checkout, and the figures measured on the way.
let stack: E2eStack;
let browser: Browser;
let staff: BrowserContext;
let page: Page;
let timings: TimingRecorder;

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  timings = new TimingRecorder(stack.url);
  staff = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  timings.watch(staff);
  page = await staff.newPage();
});
afterAll(async () => {
  await staff?.close();
  await browser?.close();
  await stack?.stop();
});

const h1 = (p: Page, name: string | RegExp) => p.getByRole('heading', { name, level: 1 });

const state = { clientId: '', projectId: '', invoiceId: '', number: '', total: '', publicPath: '' };

describe('Milestone 2, end to end in the browser', () => {
  it('agency → client, primary contact, project, tasks, time (timer and manual) → invoice from the time → PDF → sent by mail', async () => {
    await signUpAgency(page, stack.url, 'Gate Studio', 'Grace Gate');
    await expectAccessible(page, 'dashboard');

    state.clientId = await createClient(page, { name: 'Acme Corp', email: 'accounts@acme.test' });
    await expectAccessible(page, 'client page');
    await addPrimaryContact(page, 'Acme Corp', { firstName: 'John', lastName: 'Doe', email: 'john.doe@acme.test' });
    await expectAccessible(page, 'client page with its primary contact');

    state.projectId = await createProject(page, { name: 'Website Redesign', clientName: 'Acme Corp', hourlyRate: '120.00' });
    await expectAccessible(page, 'project page');
    await addTasks(page, stack.url, state.projectId, ['Wireframes', 'Visual design']);
    await expectAccessible(page, 'task board');

    await logTimeWithTimer(page, { projectName: 'Website Redesign', taskTitle: 'Wireframes', description: 'Homepage wireframes' });
    await expectAccessible(page, 'after the timer');
    await logTimeManually(page, stack.url, state.projectId, { projectName: 'Website Redesign', taskTitle: 'Visual design', duration: '2:00', description: 'Style tiles' });
    await expectAccessible(page, 'time entries');

    state.invoiceId = await invoiceProjectTime(page, stack.url, state.projectId, 'Website Redesign', 2);
    await expectAccessible(page, 'draft invoice');
    // One line per task: the timer's entry and the typed one (the agency's rounding decides what a minute bills).
    await expect.poll(() => page.getByTestId('invoice-lines').locator('td.description').count()).toBe(2);
    const lines = (await page.getByTestId('invoice-lines').locator('td.description').allTextContents()).map((t) => t.trim()).sort();
    expect(lines).toEqual(['Visual design', 'Wireframes']);
    state.total = (await page.getByTestId('figure-total').textContent())?.trim() ?? '';
    expect(state.total).toMatch(/^\$24\d\.\d\d$/);

    const pdf = await previewPdf(page, state.invoiceId);
    expect(pdf).toEqual({ status: 200, contentType: 'application/pdf' });
    await expectAccessible(page, 'invoice with its PDF');

    state.number = await sendInvoice(page, 'accounts@acme.test', 'Thank you for the Website Redesign.');
    await h1(page, state.number).waitFor();
    expect(await page.getByTestId('invoice-status').first().textContent()).toBe('Sent');
    await expectAccessible(page, 'sent invoice');

    const mail = await stack.smtp.next((m) => m.rcptTo.includes('accounts@acme.test'), 30_000);
    expect(mail.parsed.subject).toBe(`Invoice ${state.number} from Gate Studio`);
    expect(mail.parsed.text).toContain('Thank you for the Website Redesign.');
    expect(mail.parsed.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    expect(mail.parsed.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    state.publicPath = new URL(linkIn(mail, 'http')).pathname;
    expect(state.publicPath).toMatch(/^\/i\/[A-Za-z0-9_-]{22,}$/);
  });

  it('the client opens the link with no session, pays with 4242 on the hosted checkout, and the page turns Paid once the webhook confirms', async () => {
    const visitor = await browser.newContext();
    timings.watch(visitor);
    await followPublicLinks(visitor, stack);
    const client = await visitor.newPage();
    // The mail's link, on this stack's gateway.
    await client.goto(`${stack.url}${state.publicPath}`);
    await h1(client, `Invoice ${state.number}`).waitFor();
    expect(client.url()).not.toContain('/login');
    expect(await client.getByTestId('public-amount-due').textContent()).toBe(`Amount due: ${state.total}`);
    await expectAccessible(client, 'public invoice page');

    await startPayment(client);
    await client.getByRole('heading', { name: `Pay ${state.total}` }).waitFor();
    await expectAccessible(client, 'hosted checkout');
    await payOnHostedCheckout(client, '4242 4242 4242 4242');
    await waitForPublicPaid(client);
    expect(await client.getByTestId('public-amount-due').textContent()).toBe('Paid in full.');
    await expectAccessible(client, 'public invoice page, paid');
    await visitor.close();
  });

  it('back as staff: the invoice shows Paid with its payment, and the client’s timeline tells the whole story in order', async () => {
    await waitForStaffPaid(page, stack.url, state.invoiceId, state.number);
    expect(await page.getByTestId('invoice-amount-due').getAttribute('data-amount')).toBe('0.00');
    const figures = page.getByTestId('invoice-figures');
    await figures.getByText('Paid', { exact: true }).waitFor();
    expect(await figures.textContent()).toContain(state.total);
    await expectInvoicePaymentListed(page, state.total);
    await expectAccessible(page, 'paid invoice');

    // Entries arrive from the bus; the last of the story is the invoice paid.
    let timeline: string[] = [];
    await expect
      .poll(async () => {
        timeline = await clientTimeline(page, stack.url, state.clientId, 'Acme Corp');
        return timeline.some((t) => t.startsWith(`Invoice ${state.number} paid`));
      }, { timeout: 30_000, interval: 1_000 })
      .toBe(true);
    await expectAccessible(page, 'client timeline');
    const n = state.number;
    const by = '( by Grace Gate)?$';
    const story = [
      `^Client Acme Corp created${by}`,
      `^Contact John Doe added to Acme Corp${by}`,
      `^Project Website Redesign created${by}`,
      `^Task Wireframes created${by}`,
      `^Task Visual design created${by}`,
      `^Draft invoice created${by}`,
      `^Invoice ${n} sent to accounts@acme\\.test${by}`,
      `^Invoice ${n} viewed by the client$`,
      `^Payment of ${state.total.replace(/[$.]/g, '\\$&')} received for ${n}$`,
      `^Invoice ${n} paid$`,
    ].map((re) => new RegExp(re));
    expect(inOrder(timeline, story), `timeline, oldest first:\n${timeline.join('\n')}`).toEqual({ ok: true, missing: null });
    // Issued and sent are one transaction, one instant: present, in whichever order the tie falls.
    expect(timeline.some((t) => new RegExp(`^Invoice ${n} issued${by}`).test(t))).toBe(true);
  });

  it('a second agency sees none of it: its clients, its invoices, searches, and a direct link to the first one’s invoice', async () => {
    const other = await browser.newContext();
    timings.watch(other);
    const p = await other.newPage();
    await signUpAgency(p, stack.url, 'Other Studio', 'Otto Other');
    await p.goto(`${stack.url}/clients`);
    await h1(p, 'Clients').waitFor();
    await p.getByText('No clients yet').waitFor();
    await p.getByLabel('Search clients').fill('Acme');
    await p.getByLabel('Search clients').press('Enter');
    await p.getByText('No clients match your search or filter').waitFor();
    expect(await p.getByText('Acme Corp').count()).toBe(0);

    await p.goto(`${stack.url}/invoices`);
    await h1(p, 'Invoices').waitFor();
    await p.getByText('No invoices yet').waitFor();
    await p.getByLabel('Search invoices').fill(state.number);
    await p.getByLabel('Search invoices').press('Enter');
    await p.getByText('No invoices match your search or filter').waitFor();
    await expectAccessible(p, 'the other agency’s invoice search');

    // Another agency's records are as absent as ones that never existed, and nothing of them shows.
    const absent = async (path: string) => {
      await p.goto(`${stack.url}${path}`);
      await p.getByRole('alert').or(h1(p, /not found/i)).first().waitFor();
      expect(await p.getByText(/does not exist|not found/i).count()).toBeGreaterThan(0);
      expect(await p.getByText('Acme Corp').count()).toBe(0);
      expect(await p.getByText('Website Redesign').count()).toBe(0);
    };
    await absent(`/invoices/${state.invoiceId}`);
    await expectAccessible(p, 'another agency’s invoice, not found');
    await absent(`/clients/${state.clientId}`);
    await absent(`/projects/${state.projectId}`);
    await expectAccessible(p, 'another agency’s project, not found');
    await other.close();
  });

  it('the run’s figures: API p95 under 2 s, page loads under 5 s', () => {
    const s = timings.summary();
    console.log(`Milestone-2 run timings\n${timings.report()}`);
    expect(s.apiCount).toBeGreaterThan(50);
    expect(s.pageCount).toBeGreaterThan(5);
    expect(s.apiP95).toBeLessThan(2_000);
    expect(s.pageP95).toBeLessThan(5_000);
  });
});
