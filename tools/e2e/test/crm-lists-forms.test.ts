import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../src/browser.js';
import { apiAs, expectAccessible, signUpInBrowser } from '../src/crm.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

let stack: E2eStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

interface Client {
  id: string;
  name: string;
}

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Lists And Forms Studio');
  // 30 clients: two pages of 25. Every fourth is inactive.
  await Promise.all(
    Array.from({ length: 30 }, (_, k) => {
      const n = String(k + 1).padStart(2, '0');
      return apiAs<Client>(page, stack.url, 'POST', '/api/clients', { name: `Client ${n}`, email: `c${n}@example.test`, isActive: (k + 1) % 4 !== 0 });
    }),
  );
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

const h1 = (name: string) => page.getByRole('heading', { name, level: 1 });
const sidebar = () => page.getByRole('navigation', { name: 'Main' });
const pageLabel = (id: string) => page.getByTestId(`${id}-page`);
const rowNames = () => page.locator('table tbody td.name a').allTextContents();

describe('lists keep their state in the URL, forms return where they came from', () => {
  it('clients list: page count, page size, sort, filter and search survive reload and Back (defects 1 and 10)', async () => {
    await page.goto(`${stack.url}/clients`);
    await h1('Clients').waitFor();
    await expect.poll(() => pageLabel('clients').textContent()).toBe('Page 1 of 2');
    expect((await rowNames()).length).toBe(25);

    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => pageLabel('clients').textContent()).toBe('Page 2 of 2');
    await expect.poll(() => rowNames()).toEqual(['Client 26', 'Client 27', 'Client 28', 'Client 29', 'Client 30']);
    await page.reload();
    await expect.poll(() => pageLabel('clients').textContent()).toBe('Page 2 of 2');
    await expect.poll(() => rowNames()).toEqual(['Client 26', 'Client 27', 'Client 28', 'Client 29', 'Client 30']);
    // Previous page still works after the reload.
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => pageLabel('clients').textContent()).toBe('Page 1 of 2');

    await page.getByLabel('Rows per page').selectOption('50');
    await expect.poll(() => pageLabel('clients').textContent()).toBe('Page 1 of 1');
    expect(page.url()).toContain('size=50');

    // Sort by name, descending, with the header; filter inactive; search.
    await page.getByRole('button', { name: /^Name/ }).click();
    await expect.poll(async () => (await rowNames())[0]).toBe('Client 30');
    expect(await page.getByRole('columnheader', { name: /^Name/ }).getAttribute('aria-sort')).toBe('descending');
    await page.getByLabel('Status').selectOption('inactive');
    await expect.poll(() => rowNames()).toEqual(['Client 28', 'Client 24', 'Client 20', 'Client 16', 'Client 12', 'Client 08', 'Client 04']);
    await page.getByLabel('Search clients').fill('Client 24');
    await expect.poll(() => page.url()).toMatch(/q=Client\+24/);
    await expect.poll(async () => (await rowNames()).includes('Client 28')).toBe(false);
    const found = await rowNames();
    expect(found).toContain('Client 24');
    const listUrl = page.url();

    // A shared link restores it all.
    const other = await context.newPage();
    await other.goto(listUrl);
    await other.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await expect.poll(() => other.locator('table tbody td.name a').allTextContents()).toEqual(found);
    await expect.poll(() => other.getByLabel('Search clients').inputValue()).toBe('Client 24');
    await expect.poll(() => other.getByLabel('Status').inputValue()).toBe('inactive');
    await other.close();

    // Into a client and Back: the list is as it was.
    await page.getByRole('link', { name: 'Client 24' }).click();
    await h1('Client 24').waitFor();
    await page.goBack();
    await h1('Clients').waitFor();
    await expect.poll(() => rowNames()).toEqual(found);
    await expect.poll(() => page.getByLabel('Search clients').inputValue()).toBe('Client 24');

    // Dates do not wrap on a 1366 px screen.
    const heights = await page.locator('table tbody time').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    const oneLine = await page.locator('table tbody td.name a').first().evaluate((e) => e.getBoundingClientRect().height);
    expect(heights.length).toBeGreaterThan(0);
    for (const h of heights) expect(h).toBeLessThanOrEqual(oneLine + 1);
    await expectAccessible(page, 'clients list with filters');
  });

  it('a search the API refuses is shown next to the search box', async () => {
    await page.goto(`${stack.url}/clients?q=${'x'.repeat(201)}`);
    await h1('Clients').waitFor();
    const error = page.locator('#client-search-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Search clients can be at most 200 characters');
    expect(await page.getByLabel('Search clients').getAttribute('aria-describedby')).toBe('client-search-error');
    await expect.poll(() => page.getByText('Some fields need your attention').count()).toBe(0);
    expect(await page.getByLabel('Search clients').getAttribute('maxlength')).toBe('200');
  });

  it('contacts headers sort like the clients headers (defect 10)', async () => {
    await Promise.all(
      ['Zed', 'Amy'].map((firstName, i) =>
        apiAs(page, stack.url, 'POST', '/api/clients', { name: `Sort Co ${i}` }).then((c) =>
          apiAs(page, stack.url, 'POST', `/api/clients/${(c as Client).id}/contacts`, { firstName, lastName: firstName === 'Zed' ? 'Alpha' : 'Zulu', email: `${firstName.toLowerCase()}@example.test` }),
        ),
      ),
    );
    await page.goto(`${stack.url}/contacts`);
    await h1('Contacts').waitFor();
    const names = () => page.locator('table tbody td.name a').allTextContents();
    await expect.poll(() => names()).toEqual(['Zed Alpha', 'Amy Zulu']);
    await page.getByRole('button', { name: /^Email/ }).click();
    await expect.poll(() => names()).toEqual(['Amy Zulu', 'Zed Alpha']);
    expect(await page.getByRole('columnheader', { name: /^Email/ }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: /^Email/ }).click();
    await expect.poll(() => names()).toEqual(['Zed Alpha', 'Amy Zulu']);
    expect(page.url()).toMatch(/sort=email&order=desc/);
    await page.reload();
    await expect.poll(() => names()).toEqual(['Zed Alpha', 'Amy Zulu']);
    await expect.poll(() => pageLabel('contacts').textContent()).toBe('Page 1 of 1');
  });

  it('client form: Name focused, limits said up front, paired fields aligned, country and currency pickers, Save & close back to the list (defect 9)', async () => {
    await page.goto(`${stack.url}/clients?q=Client+1`);
    await h1('Clients').waitFor();
    await page.getByRole('link', { name: 'New client' }).click();
    await h1('New client').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('client-name');
    await page.locator('#client-name-hint').getByText('Up to 200 characters').waitFor();

    // Paired fields line up even when only one has a hint.
    const top = (id: string) => page.locator(`#${id}`).evaluate((e) => Math.round(e.getBoundingClientRect().top));
    expect(await top('client-address-city')).toBe(await top('client-address-region'));
    expect(await top('client-email')).toBe(await top('client-phone'));
    expect(await top('client-address-postal-code')).toBe(await top('client-address-country'));

    await page.keyboard.type('Globex Ltd');
    await page.getByLabel('Website').fill('not a web address');
    await page.getByLabel('Country').fill('United Kingdom (GB)');
    await page.getByLabel('Currency').fill('Euro (EUR)');
    await page.getByRole('button', { name: 'Save client & close' }).click();
    // The API's words, put for people.
    const alert = page.getByRole('alert');
    await alert.getByText('Website must be a web address starting with https://').waitFor();
    await expectAccessible(page, 'client form with errors');

    await page.getByLabel('Website').fill('globex.example');
    await page.getByRole('button', { name: 'Save client & close' }).click();
    await h1('Clients').waitFor();
    expect(new URL(page.url()).search).toBe('?q=Client+1');
    await page.getByRole('status').getByText('Client Globex Ltd created.').waitFor();

    const created = await apiAs<{ data: { id: string; currency: string; address: { country: string } }[] }>(page, stack.url, 'GET', '/api/clients?search=Globex');
    expect(created.data[0]?.address.country).toBe('GB');
    expect(created.data[0]?.currency).toBe('EUR');
    await page.goto(`${stack.url}/clients/${created.data[0]?.id}`);
    await h1('Globex Ltd').waitFor();
    await page.locator('address').getByText('United Kingdom').waitFor();
    await page.getByText('Euro (EUR)').waitFor();
  });

  it('"Add contact" from a client page keeps the client context and returns to it (defect 8)', async () => {
    await page.getByRole('group', { name: 'Quick actions' }).getByRole('link', { name: 'Add contact' }).click();
    await h1('New contact').waitFor();
    expect(page.url()).toMatch(/\/clients\/[0-9a-f-]{36}\/contacts\/new$/);
    await page.locator('.breadcrumb').getByRole('link', { name: 'Globex Ltd' }).waitFor();
    expect(await sidebar().getByRole('link', { name: 'Clients' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('contact-first-name');
    await expectAccessible(page, 'new contact in a client context');
    await page.getByLabel('First name').fill('Hank');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await h1('Globex Ltd').waitFor();
    await page.getByRole('status').getByText('Contact Hank added.').waitFor();
    // A client's first contact is its primary one, whichever screen added it.
    const contacts = page.getByRole('list', { name: 'Contacts at Globex Ltd' });
    await contacts.getByRole('listitem').filter({ hasText: 'Hank' }).getByText('Primary', { exact: true }).waitFor();

    const other = await apiAs<{ id: string }>(page, stack.url, 'POST', '/api/clients', { name: 'Initrode' });
    await page.goto(`${stack.url}/contacts/new?clientId=${other.id}`);
    await h1('New contact').waitFor();
    await page.getByLabel('First name').fill('Samir');
    await page.getByRole('button', { name: /^Add contact/ }).first().click();
    await page.waitForURL((url) => url.pathname !== '/contacts/new');
    await page.goto(`${stack.url}/clients/${other.id}`);
    await h1('Initrode').waitFor();
    await page.getByRole('list', { name: 'Contacts at Initrode' }).getByRole('listitem').filter({ hasText: 'Samir' }).getByText('Primary', { exact: true }).waitFor();
  });
});
