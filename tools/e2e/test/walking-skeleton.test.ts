import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../src/browser.js';
import { seriousA11yViolations } from '../src/axe.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

let stack: E2eStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function expectAccessible(page: Page) {
  const violations = await seriousA11yViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

describe('walking skeleton in a real browser', () => {
  it('signs up, creates a client, finds it, opens it and sees its timeline entry from the bus', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const email = `e2e-${Date.now()}@example.test`;

    await page.goto(`${stack.url}/signup`);
    await expectAccessible(page);
    await page.getByLabel('Agency name').fill('Playwright Studio');
    await page.getByLabel('Your name').fill('Pat Wright');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a very good password');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await expect(page.getByText('Playwright Studio').first().isVisible()).resolves.toBe(true);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'New client' }).click();
    await page.getByRole('heading', { name: 'New client' }).waitFor();

    // The API's field errors appear next to the fields.
    await page.getByLabel('Name').fill('Globex Corporation');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Save client' }).click();
    await page.getByLabel('Email').and(page.locator('[aria-invalid="true"]')).waitFor();
    await page.getByRole('alert').first().waitFor();
    await expectAccessible(page);

    await page.getByLabel('Email').fill('ap@globex.example');
    await page.getByLabel('City').fill('Cypress Creek');
    await page.getByLabel('Country').fill('United States (US)');
    await page.getByRole('button', { name: 'Save client' }).click();
    // "Save client & close" returns to where the form was opened from: the clients list.
    await page.waitForURL(/\/clients(\?.*)?$/);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByLabel('Search clients').fill('globex');
    const row = page.getByRole('link', { name: 'Globex Corporation' });
    await row.waitFor();
    await row.click();

    await page.getByRole('heading', { name: 'Globex Corporation', level: 1 }).waitFor();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('Client Globex Corporation created').waitFor({ timeout: 20_000 });
    await expectAccessible(page);
    await page.screenshot({ path: 'test-results/client-page.png', fullPage: true });
    await context.close();
  });

  it('works on a narrow screen with the keyboard: skip link, menu toggle, log out and back in', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const email = `narrow-${Date.now()}@example.test`;
    await page.goto(`${stack.url}/signup`);
    await page.getByLabel('Agency name').fill('Narrow Co');
    await page.getByLabel('Your name').fill('Nat');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a very good password');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Skip to main content');

    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
    await menu.click();
    await menu.and(page.locator('[aria-expanded="true"]')).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Timeline' }).click();
    await page.getByRole('heading', { name: 'Timeline', level: 1 }).waitFor();
    await expectAccessible(page);

    await menu.click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').getByText('Invalid email or password').waitFor();
    await page.getByLabel('Password').fill('a very good password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.screenshot({ path: 'test-results/narrow-dashboard.png' });
    await context.close();
  });
});
