import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../src/browser.js';
import { apiAs, expectAccessible, signUpInBrowser } from '../src/crm.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

let stack: E2eStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const CLIENTS = 32;
const UPDATED = 3;

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Timeline Studio');

  // Arrange: enough activity for more than one page of the timeline (25 entries a page).
  const ids: string[] = [];
  for (let i = 1; i <= CLIENTS; i++) {
    const c = await apiAs<{ id: string }>(page, stack.url, 'POST', '/api/clients', { name: `Timeline client ${String(i).padStart(2, '0')}` });
    ids.push(c.id);
  }
  for (const id of ids.slice(0, UPDATED)) {
    await apiAs(page, stack.url, 'PATCH', `/api/clients/${id}`, { website: 'https://example.com' });
  }
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

const count = (p: Page) => p.getByTestId('timeline').getByRole('listitem').count();
const h1 = (p: Page) => p.getByRole('heading', { name: 'Timeline', level: 1 });

describe('timeline page in a real browser', () => {
  it('scrolls infinitely, newest first, to the beginning of the timeline', async () => {
    // Entries arrive through the event bus.
    await expect
      .poll(async () => (await apiAs<{ total: number }>(page, stack.url, 'GET', '/api/timeline?limit=1')).total, { timeout: 30_000 })
      .toBe(CLIENTS + UPDATED);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Timeline' }).click();
    await h1(page).waitFor();
    await expect.poll(() => page.title()).toBe('Timeline · Atelier');
    await page.getByTestId('timeline').waitFor();
    await expectAccessible(page, 'timeline');
    await expect.poll(() => count(page)).toBeGreaterThanOrEqual(25);
    // Newest first: the last updates are on top.
    await expect.poll(() => page.getByTestId('timeline').getByRole('listitem').first().textContent()).toContain('Client updated');

    // Reaching the end of the list loads the next page by itself.
    await page.getByText('You have reached the beginning of the timeline.').or(page.getByRole('button', { name: 'Load more' })).scrollIntoViewIfNeeded();
    await expect.poll(() => count(page)).toBe(CLIENTS + UPDATED);
    await page.getByText('You have reached the beginning of the timeline.').waitFor();
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toContain(`Showing ${CLIENTS + UPDATED} of ${CLIENTS + UPDATED} entries`);
  });

  it('filters by type and by date range, with an empty state and a way back', async () => {
    await page.goto(`${stack.url}/timeline`);
    await h1(page).waitFor();
    await page.getByTestId('timeline').waitFor();

    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Client updated' });
    await expect.poll(() => count(page)).toBe(UPDATED);
    await page.getByText('You have reached the beginning of the timeline.').waitFor();
    expect(new URL(page.url()).searchParams.get('type')).toBe('crm.client.updated.v1');
    await expectAccessible(page, 'timeline filtered by type');

    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Client created' });
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toContain(`of ${CLIENTS} entries`);

    // Dates in the browser's own calendar.
    const [today, tomorrow] = await page.evaluate(() => {
      const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      const now = new Date();
      return [iso(now), iso(new Date(now.getTime() + 86_400_000))];
    });
    await page.getByLabel('From', { exact: true }).fill(tomorrow!);
    await page.getByText('No activity matches these filters').waitFor();
    await expectAccessible(page, 'timeline with no matches');

    await page.getByLabel('From', { exact: true }).fill(today!);
    await page.getByLabel('To', { exact: true }).fill(today!);
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toContain(`of ${CLIENTS} entries`);

    // A reversed range is explained, not sent.
    await page.getByLabel('From', { exact: true }).fill(tomorrow!);
    await page.getByRole('alert').getByText('The “From” date must be on or before the “To” date.').waitFor();
    await page.getByLabel('From', { exact: true }).fill(today!);

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toContain(`of ${CLIENTS + UPDATED} entries`);
    expect(new URL(page.url()).search).toBe('');

    // Filters survive a reload (they live in the address).
    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Client updated' });
    await expect.poll(() => count(page)).toBe(UPDATED);
    await page.reload();
    await h1(page).waitFor();
    await expect.poll(() => page.getByLabel('Type', { exact: true }).inputValue()).toBe('crm.client.updated.v1');
    await expect.poll(() => count(page)).toBe(UPDATED);
  });

  it('"Load more" works without IntersectionObserver and moves focus to the first new entry', async () => {
    const plain = await browser.newContext({ viewport: { width: 1280, height: 860 }, storageState: await context.storageState() });
    await plain.addInitScript(() => {
      delete (window as unknown as { IntersectionObserver?: unknown }).IntersectionObserver;
    });
    const p = await plain.newPage();
    await p.goto(`${stack.url}/timeline`);
    await h1(p).waitFor();
    await expect.poll(() => count(p)).toBe(25);
    await p.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => count(p)).toBe(CLIENTS + UPDATED);
    await expect.poll(() => p.evaluate(() => document.activeElement?.tagName)).toBe('LI');
    await p.getByText('You have reached the beginning of the timeline.').waitFor();
    await plain.close();
  });

  it('timeline entries link to their client, and the client page links back to its own timeline', async () => {
    await page.goto(`${stack.url}/timeline`);
    await page.getByTestId('timeline').getByRole('link', { name: 'Client Timeline client 32 created' }).click();
    await page.getByRole('heading', { name: 'Timeline client 32', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Open in the full timeline' }).click();
    await h1(page).waitFor();
    await page.getByText('Showing activity for').getByRole('link', { name: 'Timeline client 32' }).waitFor();
    await expect.poll(() => count(page)).toBe(1);
    await page.getByRole('button', { name: 'Show all clients' }).click();
    await expect.poll(() => count(page)).toBeGreaterThan(1);
  });
});
