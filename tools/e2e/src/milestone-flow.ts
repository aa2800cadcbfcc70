import type { BrowserContext, Locator, Page, Request } from 'playwright-core';

/**
 * The Milestone-2 flow as a person does it, one screen at a time: the gate's browser test and
 * `npm run demo` both run these steps, so what the demo leaves behind is what the gate proved.
 * Every step goes through the web UI only; nothing here calls the API for the flow itself.
 */

export const DEMO_PASSWORD = 'a very good password';

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 });
const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Repeats `attempt` until it returns true, or fails with `what` after `timeoutMs`. */
async function until(what: string, attempt: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await attempt().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

const idFrom = (url: string, after: string): string => {
  const parts = new URL(url).pathname.split('/');
  const i = parts.indexOf(after);
  const id = i >= 0 ? parts[i + 1] : undefined;
  if (!id) throw new Error(`no id after /${after}/ in ${url}`);
  return id;
};

export interface Credentials {
  email: string;
  password: string;
}

/** The signup form, as a new agency's owner fills it; ends on the dashboard. */
export async function signUpAgency(page: Page, baseUrl: string, agencyName: string, ownerName: string): Promise<Credentials> {
  const slug = agencyName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const email = `${slug}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.test`;
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Agency name').fill(agencyName);
  await page.getByLabel('Your name').fill(ownerName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await h1(page, 'Dashboard').waitFor();
  return { email, password: DEMO_PASSWORD };
}

/** Clients › New client › "Save client & close": on the client's page; returns its id. */
export async function createClient(page: Page, client: { name: string; email: string }): Promise<string> {
  await sidebar(page).getByRole('link', { name: 'Clients' }).click();
  await h1(page, 'Clients').waitFor();
  await page.getByRole('link', { name: 'New client' }).first().click();
  await h1(page, 'New client').waitFor();
  await page.getByLabel('Name').first().fill(client.name);
  await page.getByLabel('Email').fill(client.email);
  await page.getByRole('button', { name: 'Save client & close' }).click();
  // "Save & close" returns where the form was opened from: the list, here.
  await page.waitForURL((url) => !url.pathname.endsWith('/new'));
  if (new URL(page.url()).pathname === '/clients') await page.getByRole('link', { name: client.name, exact: true }).click();
  await h1(page, client.name).waitFor();
  await page.waitForURL(/\/clients\/[0-9a-f-]{36}$/);
  return idFrom(page.url(), 'clients');
}

/** From the client's page: "Add contact", marked primary; back on the client's page with the badge. */
export async function addPrimaryContact(page: Page, clientName: string, contact: { firstName: string; lastName: string; email: string }): Promise<void> {
  await h1(page, clientName).waitFor();
  await page.getByRole('group', { name: 'Quick actions' }).getByRole('link', { name: 'Add contact' }).click();
  await h1(page, 'New contact').waitFor();
  await page.getByLabel('First name').fill(contact.firstName);
  await page.getByLabel('Last name').fill(contact.lastName);
  await page.getByLabel('Email').fill(contact.email);
  await page.getByLabel('Primary contact').check();
  await page.getByRole('button', { name: 'Add contact' }).click();
  await h1(page, clientName).waitFor();
  await page
    .getByRole('list', { name: `Contacts at ${clientName}` })
    .getByRole('listitem')
    .filter({ hasText: `${contact.firstName} ${contact.lastName}` })
    .getByText('Primary', { exact: true })
    .waitFor();
}

/**
 * Projects › New project for the client, billable at an hourly rate; returns its id. The projects
 * service learns of a new client from crm's event, so a save refused because the client is not
 * known there yet is tried again, as a person would after a moment.
 */
export async function createProject(page: Page, project: { name: string; clientName: string; hourlyRate: string }): Promise<string> {
  await sidebar(page).getByRole('link', { name: 'Projects' }).click();
  await h1(page, 'Projects').waitFor();
  await page.getByRole('link', { name: 'New project' }).first().click();
  await h1(page, 'New project').waitFor();
  await page.locator('#project-name').fill(project.name);
  await until(`${project.clientName} in the project form's client list`, async () => (await page.locator('#project-client option', { hasText: project.clientName }).count()) > 0);
  await page.locator('#project-client').selectOption({ label: project.clientName });
  await page.getByLabel('Hourly rate').fill(project.hourlyRate);
  await page.getByLabel('Billable').check();
  await until('the project to be saved', async () => {
    await page.getByRole('button', { name: 'Save project & close' }).click();
    const outcome = await Promise.race([
      page.waitForURL((url) => !url.pathname.endsWith('/new'), { timeout: 5_000 }).then(() => 'saved'),
      page.getByRole('alert').first().waitFor({ timeout: 5_000 }).then(() => 'refused'),
    ]).catch(() => 'pending');
    return outcome === 'saved';
  });
  if (new URL(page.url()).pathname === '/projects') await page.getByRole('link', { name: project.name, exact: true }).first().click();
  await h1(page, project.name).waitFor();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  return idFrom(page.url(), 'projects');
}

/** The project's board: each title typed into "To do"'s quick add. */
export async function addTasks(page: Page, baseUrl: string, projectId: string, titles: string[]): Promise<void> {
  await page.goto(`${baseUrl}/projects/${projectId}`);
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Board' }).click();
  const todo = page.getByTestId('column-todo');
  await todo.waitFor();
  for (const title of titles) {
    await page.getByLabel('New task in To do').fill(title);
    await page.getByRole('button', { name: 'Add task to To do' }).click();
    await todo.getByTestId('task-card').filter({ hasText: title }).waitFor();
  }
}

/** The top bar's timer, started on a task and stopped again (under a minute counts as one). */
export async function logTimeWithTimer(page: Page, entry: { projectName: string; taskTitle: string; description: string }): Promise<void> {
  await page.getByRole('button', { name: 'Start timer' }).click();
  const panel = page.locator('#timer-panel');
  await panel.getByRole('heading', { name: 'Start a timer' }).waitFor();
  await panel.getByLabel('Project').selectOption({ label: entry.projectName });
  await panel.getByLabel('Task').selectOption({ label: entry.taskTitle });
  await panel.getByLabel('What are you working on?').fill(entry.description);
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByRole('status').filter({ hasText: `Timer started for ${entry.projectName}, ${entry.taskTitle}.` }).waitFor();
  await page.getByRole('button', { name: 'Stop timer' }).click();
  await page.getByRole('status').filter({ hasText: /^Timer stopped\./ }).waitFor();
  await page.getByRole('button', { name: 'Start timer' }).waitFor();
}

/** The project page's "Log time": a duration typed by hand on a task. */
export async function logTimeManually(page: Page, baseUrl: string, projectId: string, entry: { projectName: string; taskTitle: string; duration: string; description: string }): Promise<void> {
  await page.goto(`${baseUrl}/projects/${projectId}`);
  await h1(page, entry.projectName).waitFor();
  await page.getByRole('link', { name: 'Log time', exact: true }).first().click();
  await h1(page, 'Log time').waitFor();
  await page.getByLabel('Project').selectOption({ label: entry.projectName });
  await page.getByLabel('Task').selectOption({ label: entry.taskTitle });
  await page.getByLabel('Duration').fill(entry.duration);
  await page.getByLabel('Description').fill(entry.description);
  await page.getByLabel('Billable').check();
  await page.getByRole('button', { name: 'Log time & close' }).click();
  await page.getByText(new RegExp(`Logged ${entry.duration.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on ${entry.projectName}`)).waitFor();
}

/**
 * The project page's "New invoice", filled from its unbilled time ("Add unbilled time…"), saved
 * as a draft; returns the draft's id. Billing hears of time from projects' events, so the dialog
 * is reopened until it offers all `entryCount` entries.
 */
export async function invoiceProjectTime(page: Page, baseUrl: string, projectId: string, projectName: string, entryCount: number): Promise<string> {
  await page.goto(`${baseUrl}/projects/${projectId}`);
  await h1(page, projectName).waitFor();
  await page.getByRole('link', { name: 'New invoice' }).click();
  await h1(page, 'New invoice').waitFor();
  const dialog = page.getByTestId('unbilled-dialog');
  await until(`${entryCount} unbilled entries of ${projectName} in the dialog`, async () => {
    if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Add unbilled time…' }).click();
    await dialog.getByRole('heading', { name: 'Add unbilled time' }).waitFor();
    const ready = await pollFor(async () => (await dialog.getByRole('radio', { name: new RegExp(projectName) }).isChecked()) && (await dialog.getByTestId('unbilled-entry').count()) === entryCount, 2_000);
    if (!ready) await dialog.getByRole('button', { name: 'Cancel' }).click();
    return ready;
  }, 30_000, 250);
  await dialog.getByRole('button', { name: 'Add this time' }).click();
  await h1(page, /Edit draft invoice/).waitFor();
  await page.getByTestId('invoice-line').first().waitFor();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await h1(page, 'Draft invoice').waitFor();
  return idFrom(page.url(), 'invoices');
}

async function pollFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(150);
  }
  return false;
}

/** "Show the PDF" on the invoice page: resolves with the PDF response the frame loaded. */
export async function previewPdf(page: Page, invoiceId: string): Promise<{ status: number; contentType: string | undefined }> {
  const [pdf] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === `/api/invoices/${invoiceId}/pdf`), page.getByRole('button', { name: 'Show the PDF' }).click()]);
  await page.getByTestId('invoice-pdf').waitFor();
  return { status: pdf.status(), contentType: pdf.headers()['content-type'] };
}

/** "Send…" on the draft: to the address given; returns the number the invoice got. */
export async function sendInvoice(page: Page, to: string, message: string): Promise<string> {
  await page.getByRole('button', { name: 'Send…' }).click();
  const dialog = page.getByTestId('send-dialog');
  await dialog.getByRole('heading', { name: 'Send the invoice' }).waitFor();
  await dialog.getByLabel('To').fill(to);
  await dialog.getByLabel('Message').fill(message);
  await dialog.getByRole('button', { name: 'Send invoice' }).click();
  const sent = page.getByText(new RegExp(` was sent to ${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.$`));
  await sent.waitFor();
  const text = (await sent.textContent()) ?? '';
  return text.replace(/ was sent to .*$/, '').trim();
}

/** The emulator's hosted checkout: card details typed, "Pay …"; resolves once back on our page. */
export async function payOnHostedCheckout(page: Page, card = '4242 4242 4242 4242'): Promise<void> {
  await page.getByLabel('Card number').waitFor();
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM / YY)').fill('12 / 34');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Name on card').fill('John Doe');
  await page.getByRole('button', { name: /^Pay .*\d$/ }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/i/') && url.searchParams.get('checkout') === 'success');
}

/**
 * On the public page: "Pay now", to Stripe's (the emulator's) hosted page. Payments hears of a
 * sent invoice from billing's event; when the page says the payment could not be started yet, the
 * payer tries again a little later, as the message asks.
 */
export async function startPayment(client: Page, timeoutMs = 120_000): Promise<void> {
  await until('the hosted checkout to open', async () => {
    await client.getByRole('button', { name: 'Pay now' }).click();
    const outcome = await Promise.race([
      client.waitForURL((url) => !url.pathname.startsWith('/i/'), { timeout: 60_000 }).then(() => 'checkout'),
      client.getByRole('alert').filter({ hasText: 'The payment could not be started.' }).waitFor({ timeout: 60_000 }).then(() => 'refused'),
    ]);
    return outcome === 'checkout';
  }, timeoutMs, 2_000);
}

/** The public page after a successful checkout: waits for its own polling to show Paid. */
export async function waitForPublicPaid(client: Page, timeoutMs = 60_000): Promise<void> {
  await client.getByTestId('payment-status').getByText(/^Paid\./).waitFor({ timeout: timeoutMs });
  await client.getByTestId('public-status').filter({ hasText: 'Paid' }).waitFor();
}

/** The staff invoice page, reloaded until billing has the invoice paid. */
export async function waitForStaffPaid(page: Page, baseUrl: string, invoiceId: string, number: string, timeoutMs = 60_000): Promise<void> {
  await until(`${number} shown paid to staff`, async () => {
    await page.goto(`${baseUrl}/invoices/${invoiceId}`);
    await h1(page, number).waitFor();
    return (await page.getByTestId('invoice-status').first().textContent())?.trim() === 'Paid';
  }, timeoutMs, 1_000);
}

/** The client's timeline (newest first on the page), oldest first, as the titles people read. */
export async function clientTimeline(page: Page, baseUrl: string, clientId: string, clientName: string): Promise<string[]> {
  await page.goto(`${baseUrl}/clients/${clientId}`);
  await h1(page, clientName).waitFor();
  const list = page.getByRole('list', { name: `Timeline of ${clientName}` });
  await list.waitFor();
  const titles = await list.getByRole('listitem').locator('.title').allTextContents();
  return titles.map((t) => t.replace(/\s+/g, ' ').trim()).reverse();
}

/** The titles, in order, appear in the timeline as a subsequence (other entries may come between). */
export function inOrder(timeline: string[], expected: RegExp[]): { ok: boolean; missing: RegExp | null } {
  let at = 0;
  for (const re of expected) {
    const found = timeline.findIndex((t, i) => i >= at && re.test(t));
    if (found < 0) return { ok: false, missing: re };
    at = found + 1;
  }
  return { ok: true, missing: null };
}

/** Locator of the staff invoice page's Payments section (another screen's work). */
export const paymentsSection = (page: Page): Locator => page.locator('section').filter({ has: page.getByRole('heading', { name: 'Payments', exact: true }) });

/**
 * The staff invoice page's Payments section lists the card payment of `amount` (as shown, "€242.00"), succeeded.
 */
export async function expectInvoicePaymentListed(page: Page, amount: string): Promise<void> {
  const row = paymentsSection(page).getByTestId('payment-row').filter({ hasText: amount });
  await row.first().waitFor();
  const text = (await row.first().textContent()) ?? '';
  if (!/Card/.test(text) || !/Succeeded/.test(text)) throw new Error(`the payment of ${amount} is listed as "${text.trim()}", not a succeeded card payment`);
}

// ---- Timings -------------------------------------------------------------------------------

export interface Timing {
  what: string;
  ms: number;
}

/** p-th percentile (0..100) by nearest rank; 0 for no samples. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * The page's load, from the Navigation Timing entry, or -1. `loadEventEnd` is 0 until the load
 * handlers are done, so it waits a moment for it in the page. Sent as source text: under tsx
 * (`npm run demo`) a function's inner named functions are wrapped in a `__name` helper that the
 * page does not have, and the evaluation threw, so the demo measured no page load at all.
 */
const LOAD_DURATION = `new Promise((resolve) => {
  const read = (left) => {
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav && nav.loadEventEnd > 0) resolve(nav.loadEventEnd - nav.startTime);
    else if (left <= 0) resolve(-1);
    else setTimeout(() => read(left - 1), 50);
  };
  read(40);
})`;

/**
 * What the browser measured during the run: each `/api` request from sending to its last byte
 * (Resource Timing as Playwright reports it) and each full page load (the Navigation Timing
 * entry's load end). Attach to every context the flow uses.
 */
export class TimingRecorder {
  readonly api: Timing[] = [];
  readonly pages: Timing[] = [];

  constructor(private readonly baseUrl: string) {}

  watch(context: BrowserContext): void {
    const origin = new URL(this.baseUrl).origin;
    context.on('requestfinished', (request: Request) => {
      const url = new URL(request.url());
      if (url.origin !== origin || !url.pathname.startsWith('/api/')) return;
      const t = request.timing();
      // Offsets are from the request's start (-1 when unknown): `responseEnd` is the whole wait.
      if (t.responseEnd < 0) return;
      this.api.push({ what: `${request.method()} ${url.pathname}`, ms: t.responseEnd });
    });
    const onPage = (page: Page) => {
      page.on('load', () => void this.recordLoad(page));
    };
    context.pages().forEach(onPage);
    context.on('page', onPage);
  }

  private async recordLoad(page: Page): Promise<void> {
    const url = page.url();
    if (!url.startsWith(new URL(this.baseUrl).origin)) return;
    try {
      const ms = await page.evaluate<number>(LOAD_DURATION);
      if (ms >= 0) this.pages.push({ what: new URL(url).pathname, ms });
    } catch {
      // The page moved on (or closed) before it could be asked: that load is not measured.
    }
  }

  summary(): { apiCount: number; apiP95: number; apiMax: Timing | null; pageCount: number; pageP95: number; pageMax: Timing | null } {
    const max = (xs: Timing[]) => xs.reduce<Timing | null>((m, x) => (m === null || x.ms > m.ms ? x : m), null);
    return {
      apiCount: this.api.length,
      apiP95: percentile(this.api.map((t) => t.ms), 95),
      apiMax: max(this.api),
      pageCount: this.pages.length,
      pageP95: percentile(this.pages.map((t) => t.ms), 95),
      pageMax: max(this.pages),
    };
  }

  report(): string {
    const s = this.summary();
    const f = (n: number) => `${Math.round(n)} ms`;
    return [
      `API requests: ${s.apiCount}, p95 ${f(s.apiP95)}, slowest ${s.apiMax ? `${f(s.apiMax.ms)} (${s.apiMax.what})` : '—'}`,
      `Page loads: ${s.pageCount}, p95 ${f(s.pageP95)}, slowest ${s.pageMax ? `${f(s.pageMax.ms)} (${s.pageMax.what})` : '—'}`,
    ].join('\n');
  }
}
