import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../src/browser.js';
import { apiAs, expectAccessible, signUpInBrowser } from '../src/crm.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

let stack: E2eStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sql: postgres.Sql;

interface Created {
  id: string;
}
interface Entry {
  id: string;
  minutes: number;
  roundedMinutes: number;
  hourlyRate: string | null;
  description: string | null;
  date: string;
  taskId: string | null;
  startedAt: string | null;
  endedAt: string | null;
}

let website: Created;
let design: Created;
let retainer: Created;

beforeAll(async () => {
  stack = await startE2eStack();
  sql = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Time Studio', 'Tess Tracker');
  const client = await apiAs<Created>(page, stack.url, 'POST', '/api/clients', { name: 'Acme Corp' });
  // The projects service learns of the client from crm's event: poll until it accepts a project for it.
  website = await createWhenClientArrives({ clientId: client.id, name: 'Website redesign', isBillable: true });
  retainer = await apiAs<Created>(page, stack.url, 'POST', '/api/projects', { clientId: client.id, name: 'Support retainer', isBillable: true });
  design = await apiAs<Created>(page, stack.url, 'POST', `/api/projects/${website.id}/tasks`, { title: 'Design' });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await sql?.end();
  await stack?.stop();
});

async function createWhenClientArrives(body: Record<string, unknown>): Promise<Created> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await apiAs<Created>(page, stack.url, 'POST', '/api/projects', body);
    } catch (e) {
      if (Date.now() > deadline || !String(e).includes('400')) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const h1 = (p: Page, name: string) => p.getByRole('heading', { name, level: 1 });
/** "Running for 0:25:03" → seconds. */
async function elapsedOf(p: Page): Promise<number> {
  const text = (await p.getByTestId('timer-elapsed').textContent()) ?? '';
  const m = text.match(/(\d+):(\d\d):(\d\d)/);
  if (!m) throw new Error(`no elapsed time in ${JSON.stringify(text)}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}
const plusDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('time tracking in the browser', () => {
  it('the top-bar timer: started with project, task and description, the same in another tab and after a reload, stopped there, and its entry appears', async () => {
    await page.goto(`${stack.url}/time`);
    await h1(page, 'Time entries').waitFor();
    await page.getByText('No time logged yet').waitFor();
    await expectAccessible(page, 'empty time entries list');

    await page.getByRole('button', { name: 'Start timer' }).click();
    const panel = page.locator('#timer-panel');
    await panel.getByRole('heading', { name: 'Start a timer' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('timer-project');
    await panel.getByLabel('Project').selectOption({ label: 'Website redesign' });
    await panel.getByLabel('Task').selectOption({ label: 'Design' });
    await panel.getByLabel('What are you working on?').fill('Homepage wireframes');
    await expectAccessible(page, 'timer panel');
    await panel.getByRole('button', { name: 'Start', exact: true }).click();

    await expect.poll(() => page.getByTestId('timer-label').textContent()).toBe('Website redesign, Design');
    await page.getByRole('status').filter({ hasText: 'Timer started for Website redesign, Design.' }).waitFor();
    // The clock ticks, but is no live region: screen readers hear the start, not every second.
    const first = await elapsedOf(page);
    await expect.poll(() => elapsedOf(page), { timeout: 5_000 }).toBeGreaterThan(first);
    expect(await page.getByTestId('timer-elapsed').getAttribute('role')).toBe('timer');
    expect(await page.getByTestId('timer-elapsed').getAttribute('aria-live')).toBe('off');

    // The elapsed time counts from the server's start instant: move it 25 minutes back and reload.
    await sql`update projects.time_entries set started_at = started_at - interval '25 minutes' where started_at is not null and ended_at is null`;
    await page.reload();
    await expect.poll(() => elapsedOf(page)).toBeGreaterThanOrEqual(25 * 60);
    expect(await elapsedOf(page)).toBeLessThan(27 * 60);
    await expectAccessible(page, 'running timer');

    // Another tab shows the same timer, at the same elapsed time.
    const other = await context.newPage();
    await other.goto(`${stack.url}/timesheet`);
    await h1(other, 'Timesheet').waitFor();
    await expect.poll(() => other.getByTestId('timer-label').textContent()).toBe('Website redesign, Design');
    const [here, there] = [await elapsedOf(page), await elapsedOf(other)];
    expect(Math.abs(here - there)).toBeLessThanOrEqual(2);

    // Stopped in the other tab: this one hears it without a reload, and lists the new entry.
    await other.getByRole('button', { name: 'Stop timer' }).click();
    await other.getByRole('status').filter({ hasText: /^Timer stopped\. 25 minutes logged on Website redesign, Design\.$/ }).waitFor();
    await other.getByRole('button', { name: 'Start timer' }).waitFor();
    await page.getByRole('button', { name: 'Start timer' }).waitFor();
    const row = page.getByTestId('time-entry-row').filter({ hasText: 'Homepage wireframes' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Website redesign');
    expect(await row.textContent()).toContain('0:25');
    const [entry] = (await apiAs<{ data: Entry[] }>(page, stack.url, 'GET', `/api/time-entries?projectId=${website.id}`)).data;
    expect(entry).toMatchObject({ taskId: design.id, minutes: 25, description: 'Homepage wireframes' });
    expect(entry!.startedAt).not.toBeNull();
    expect(entry!.endedAt).not.toBeNull();
    await other.close();
  });

  it('a manual entry: logged with the form, found with the filters (kept in the URL and in the CSV link), edited; a billed entry is locked', async () => {
    await page.goto(`${stack.url}/time`);
    await h1(page, 'Time entries').waitFor();
    await page.getByRole('link', { name: 'Log time' }).first().click();
    await h1(page, 'Log time').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('entry-project');
    // Saving with nothing chosen names the fields.
    await page.getByRole('button', { name: 'Log time & close' }).click();
    await page.getByRole('alert').filter({ hasText: 'The time could not be logged.' }).waitFor();
    await page.getByRole('link', { name: 'Choose the project the time was spent on' }).waitFor();
    await expectAccessible(page, 'time entry form with errors');

    await page.getByLabel('Project').selectOption({ label: 'Support retainer' });
    await page.getByLabel('Duration').fill('1:30');
    await page.getByLabel('Description').fill('Server patching');
    await page.getByRole('button', { name: 'Log time & close' }).click();
    await h1(page, 'Time entries').waitFor();
    await page.getByText(/Logged 1:30 on Support retainer/).waitFor();
    const row = page.getByTestId('time-entry-row').filter({ hasText: 'Server patching' });
    await row.waitFor();

    // Filters live in the URL: a reload keeps them, and the CSV link carries them.
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Support retainer' });
    await expect.poll(() => page.url()).toContain(`project=${retainer.id}`);
    await page.getByLabel('Billable', { exact: true }).selectOption('yes');
    await expect.poll(() => page.url()).toContain('billable=yes');
    await page.reload();
    await row.waitFor();
    await expect.poll(() => page.getByTestId('time-entry-row').count()).toBe(1);
    await expect.poll(() => page.getByLabel('Project', { exact: true }).inputValue()).toBe(retainer.id);
    const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(csv).toMatch(/^\/api\/time-entries\.csv\?/);
    expect(csv).toContain(`projectId=${retainer.id}`);
    expect(csv).toContain('isBillable=true');
    const download = await page.request.get(`${stack.url}${csv}`);
    expect(download.status()).toBe(200);
    expect(await download.text()).toContain('Server patching');
    await expectAccessible(page, 'filtered time entries');

    await row.getByRole('link', { name: /^Edit / }).click();
    await h1(page, 'Edit time entry').waitFor();
    await expect.poll(() => page.getByLabel('Duration').inputValue()).toBe('1:30');
    await page.getByLabel('Duration').fill('2');
    await page.getByRole('button', { name: 'Save entry & close' }).click();
    await h1(page, 'Time entries').waitFor();
    // Back to the filtered list it came from.
    expect(page.url()).toContain(`project=${retainer.id}`);
    await expect.poll(() => row.textContent()).toContain('2:00');

    // Billing marks entries billed; until the billing screens exist, the test does what its event would.
    const [billed] = await sql<{ id: string }[]>`
      update projects.time_entries set billing_status = 'billed', invoice_id = gen_random_uuid()
      where description = 'Server patching' returning id`;
    await page.reload();
    await row.getByText('Billed').waitFor();
    expect(await row.getByRole('link', { name: /^Edit / }).count()).toBe(0);
    expect(await row.getByRole('button', { name: /^Delete / }).count()).toBe(0);
    await page.goto(`${stack.url}/time/${billed!.id}/edit`);
    await page.getByText('This entry is on an invoice, so it cannot be changed.').waitFor();
    expect(await page.getByRole('button', { name: 'Save entry & close' }).count()).toBe(0);
    await expectAccessible(page, 'locked time entry');
  });

  it('the timesheet: hours typed into the week grid create, change and clear entries, with totals per day and week; weeks in the URL; a manager sees a member’s week', async () => {
    await page.goto(`${stack.url}/timesheet`);
    await h1(page, 'Timesheet').waitFor();
    await page.getByRole('link', { name: 'Previous week' }).click();
    await expect.poll(() => page.url()).toMatch(/week=\d{4}-\d{2}-\d{2}/);
    const week = new URL(page.url()).searchParams.get('week')!;
    // A clean week: nothing logged there yet.
    await page.getByText('No time this week').waitFor();

    await page.locator('#row-project').selectOption({ label: 'Website redesign' });
    await page.locator('#row-task').selectOption({ label: 'Design' });
    await page.getByRole('button', { name: 'Add row' }).click();
    const cell = (day: string) => page.getByTestId(`cell-${website.id}-${day}`);
    const [monday, tuesday] = [week, plusDays(week, 1)];
    await cell(monday).waitFor();
    await expectAccessible(page, 'timesheet with an empty row');

    await cell(monday).fill('2');
    await cell(monday).press('Enter');
    await expect.poll(() => page.getByTestId(`day-total-${monday}`).textContent()).toMatch(/^2:00/);
    await cell(tuesday).fill('1:30');
    await cell(tuesday).press('Enter');
    await expect.poll(() => page.getByTestId('week-total').textContent()).toMatch(/^3:30/);
    await page.getByRole('status').filter({ hasText: /Saved 1:30 on Website redesign, Design, .*\. Week total 3:30\./ }).waitFor();
    await expect.poll(() => cell(monday).inputValue()).toBe('2:00');

    // Changing a cell edits its entry; clearing it deletes the entry.
    await cell(monday).fill('2.5');
    await cell(monday).press('Enter');
    await expect.poll(() => page.getByTestId('week-total').textContent()).toMatch(/^4:00/);
    // The saved value is shown before the next edit (typing into a cell that is still settling would append).
    await expect.poll(() => cell(monday).inputValue()).toBe('2:30');
    await cell(monday).fill('0');
    await cell(monday).press('Enter');
    await expect.poll(() => page.getByTestId('week-total').textContent()).toMatch(/^1:30/);
    const logged = await apiAs<{ data: Entry[] }>(page, stack.url, 'GET', `/api/time-entries?projectId=${website.id}&from=${monday}&to=${plusDays(monday, 6)}`);
    expect(logged.data.map((e) => [e.date, e.minutes])).toEqual([[tuesday, 90]]);

    // Something a cell cannot take is said at the cell.
    await cell(monday).fill('soon');
    await cell(monday).press('Enter');
    await page.getByText('Enter hours and minutes, such as 1:30 or 1.5').waitFor();
    expect(await cell(monday).getAttribute('aria-invalid')).toBe('true');
    await cell(monday).press('Escape');

    // The week is in the URL: a reload comes back to it; Next week returns to this one.
    await page.reload();
    await expect.poll(() => page.getByTestId('week-total').textContent()).toMatch(/^1:30/);
    await expectAccessible(page, 'timesheet with time');
    await page.getByRole('link', { name: 'Next week' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('week')).toBe(plusDays(week, 7));

    // A member logs time; the owner picks them and sees their week.
    const invitation = await apiAs<{ token: string }>(page, stack.url, 'POST', '/api/auth/invitations', { email: `mia-${Date.now()}@example.test`, role: 'member' });
    const memberContext = await browser.newContext();
    const member = await memberContext.newPage();
    await member.goto(`${stack.url}/login`);
    await apiAs(member, stack.url, 'POST', `/api/auth/invitations/${invitation.token}/accept`, { name: 'Mia Member', password: 'a member password' });
    await expect
      .poll(async () => {
        try {
          await apiAs(member, stack.url, 'POST', '/api/time-entries', { projectId: retainer.id, date: tuesday, minutes: 45, description: 'Mia on call' });
          return true;
        } catch {
          return false;
        }
      }, { timeout: 20_000 })
      .toBe(true);
    await memberContext.close();

    await page.goto(`${stack.url}/timesheet?week=${week}`);
    await h1(page, 'Timesheet').waitFor();
    await page.getByLabel('Person').selectOption({ label: 'Mia Member' });
    await expect.poll(() => page.url()).toContain('user=');
    await expect.poll(() => page.getByTestId('week-heading').textContent()).toContain('Mia Member');
    await expect.poll(() => page.getByTestId(`day-total-${tuesday}`).textContent()).toMatch(/^0:45/);
    await page.getByRole('rowheader', { name: /Support retainer/ }).waitFor();
  });

  it('Settings › Time: rounding up to 30 minutes applies to time logged afterwards', async () => {
    await page.goto(`${stack.url}/settings/time`);
    await page.getByRole('heading', { name: 'Time', level: 2 }).waitFor();
    await expect.poll(() => page.getByLabel('Rounding').inputValue()).toBe('nearest');
    await expect.poll(() => page.getByLabel('Round to').inputValue()).toBe('15');
    await expectAccessible(page, 'Settings › Time');

    await page.getByLabel('Rounding').selectOption('up');
    await page.getByLabel('Round to').selectOption('30');
    await expect.poll(() => page.getByTestId('rounding-example').textContent()).toContain('1:10 logged is billed as 1:30');
    await page.getByRole('button', { name: 'Save time settings' }).click();
    await page.getByText(/Time settings saved at/).waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('Rounding').inputValue()).toBe('up');
    await expect.poll(() => page.getByLabel('Round to').inputValue()).toBe('30');

    const entry = await apiAs<Entry>(page, stack.url, 'POST', '/api/time-entries', { projectId: retainer.id, minutes: 10, description: 'Rounding check' });
    expect([entry.minutes, entry.roundedMinutes]).toEqual([10, 30]);
    await page.goto(`${stack.url}/time`);
    const row = page.getByTestId('time-entry-row').filter({ hasText: 'Rounding check' });
    await row.waitFor();
    expect((await row.textContent())?.replace(/\s+/g, ' ')).toContain('0:10 → 0:30');
  });

  it('Settings › Rates: an agency rate card added, applied to unbilled entries (saying how many), edited and deleted', async () => {
    await page.goto(`${stack.url}/settings/rates`);
    await page.getByRole('heading', { name: 'Rates', level: 2 }).waitFor();
    await page.getByText('No rate cards yet').waitFor();
    await expectAccessible(page, 'Settings › Rates, empty');

    await page.getByRole('link', { name: 'New rate card' }).click();
    await page.getByRole('heading', { name: 'New rate card', level: 2 }).waitFor();
    await page.getByLabel('Applies to').selectOption('agency');
    await page.getByLabel('Hourly rate').fill('100');
    await page.getByLabel('Effective from').fill('2020-01-01');
    await expectAccessible(page, 'new rate card form');
    await page.getByRole('button', { name: 'Add rate card & close' }).click();
    await page.getByRole('heading', { name: 'Rates', level: 2 }).waitFor();
    const row = page.getByTestId('rate-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('The whole agency');
    expect(await row.textContent()).toContain('100.00');

    // Entries logged before the card keep their rate until it is applied.
    const before = await apiAs<{ data: Entry[] }>(page, stack.url, 'GET', '/api/time-entries?billingStatus=unbilled&limit=200');
    expect(before.data.length).toBeGreaterThan(0);
    expect(before.data.every((e) => e.hourlyRate === null)).toBe(true);
    await row.getByRole('button', { name: /^Apply to unbilled entries/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Apply rate' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: new RegExp(`^${before.data.length} unbilled entr(y|ies) now uses? the rate of`) })
      .waitFor();
    const after = await apiAs<{ data: Entry[] }>(page, stack.url, 'GET', '/api/time-entries?billingStatus=unbilled&limit=200');
    expect(after.data.every((e) => e.hourlyRate !== null && Number(e.hourlyRate) === 100)).toBe(true);
    await expectAccessible(page, 'Settings › Rates with a card');

    await row.getByRole('link', { name: /^Edit the rate card/ }).click();
    await page.getByRole('heading', { name: 'Edit rate card', level: 2 }).waitFor();
    await page.getByTestId('rate-target').getByText('The whole agency').waitFor();
    await page.getByLabel('Hourly rate').fill('120');
    await expectAccessible(page, 'edit rate card form');
    await page.getByRole('button', { name: 'Save rate card & close' }).click();
    await page.getByRole('heading', { name: 'Rates', level: 2 }).waitFor();
    await expect.poll(() => row.textContent()).toContain('120.00');

    await row.getByRole('button', { name: /^Delete the rate card/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete rate card' }).click();
    await page.getByText('No rate cards yet').waitFor();
  });
});
