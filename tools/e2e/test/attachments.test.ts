import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../src/browser.js';
import { apiAs, expectAccessible, signUpInBrowser } from '../src/crm.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

let stack: E2eStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let clientId: string;

// Each tries everything a script in our origin could do: mark storage, change the app, call the API.
const attack = (tag: string) =>
  `localStorage.setItem('pwned-${tag}', '1'); try { (window.opener || window.parent).document.title = 'pwned ${tag}'; } catch (e) {} fetch('/api/clients', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'pwned by ${tag}' }) });`;
const HTML = `<!doctype html><html><body><h1>hello</h1><script>${attack('html')}</script></body></html>`;
const SVG = `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="${attack('svg-onload').replace(/"/g, '&quot;')}"><script>${attack('svg')}</script></svg>`;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082', 'hex');

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Files Studio');
  clientId = (await apiAs<{ id: string }>(page, stack.url, 'POST', '/api/clients', { name: 'ACME Files' })).id;
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

const files = (p: Page) => p.getByTestId('attachments').getByRole('list', { name: /^Files of ACME Files/ }).getByRole('listitem');
const pwned = (p: Page) => p.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('pwned')));

describe('attachments in a real browser', () => {
  it('uploads from the client page with a thumbnail for images, and an uploaded HTML or SVG file never runs in the app origin', async () => {
    await page.goto(`${stack.url}/clients/${clientId}`);
    await page.getByTestId('attachments').getByRole('heading', { name: 'Files', exact: true }).waitFor();
    await page.getByTestId('attachment-input').setInputFiles([
      { name: 'page.html', mimeType: 'text/html', buffer: Buffer.from(HTML) },
      { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(SVG) },
      { name: 'shot.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await expect.poll(() => files(page).count(), { timeout: 30_000 }).toBe(3);
    await expectAccessible(page, 'client page with files');
    // The PNG gets a thumbnail (its script-less inline view), the others an icon and no preview.
    const thumb = files(page).filter({ hasText: 'shot.png' }).locator('img.thumb');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    expect(await files(page).filter({ hasText: 'page.html' }).getByRole('button', { name: /Preview/ }).count()).toBe(0);
    expect(await files(page).filter({ hasText: 'logo.svg' }).getByRole('button', { name: /Preview/ }).count()).toBe(0);

    const list = await apiAs<{ data: { fileName: string; contentUrl: string; contentType: string }[] }>(page, stack.url, 'GET', `/api/clients/${clientId}/attachments`);
    const url = (name: string) => `${stack.url}${list.data.find((a) => a.fileName === name)!.contentUrl}`;
    expect(list.data.map((a) => a.contentType).sort()).toEqual(['image/png', 'image/svg+xml', 'text/html']);

    for (const name of ['page.html', 'logo.svg']) {
      // Opened directly (a link, the address bar), even asking for inline: the browser downloads it.
      for (const suffix of ['', '?inline=1']) {
        const tab = await context.newPage();
        const [download] = await Promise.all([tab.waitForEvent('download'), tab.goto(url(name) + suffix).catch(() => null)]);
        expect(download.suggestedFilename()).toBe(name);
        await tab.close();
      }
      // Framed or embedded by a page of our origin: refused (frame-ancestors 'none', X-Frame-Options DENY) or inert (<img>, <object>).
      await page.evaluate((src) => {
        for (const tag of ['iframe', 'object', 'embed', 'img']) {
          const el = document.createElement(tag);
          el.setAttribute(tag === 'object' ? 'data' : 'src', src);
          document.body.append(el);
        }
      }, url(name));
    }
    // Give anything that could run the time to run, then look for its traces.
    await page.waitForLoadState('networkidle');
    await page.reload();
    await page.getByTestId('attachments').getByRole('heading', { name: 'Files', exact: true }).waitFor();
    expect(await pwned(page)).toEqual([]);
    expect(await page.title()).not.toContain('pwned');
    const clients = await apiAs<{ data: { name: string }[] }>(page, stack.url, 'GET', '/api/clients?limit=200');
    expect(clients.data.map((c) => c.name).filter((n) => n.startsWith('pwned'))).toEqual([]);
  });

  it('removes a file after confirmation', async () => {
    await page.goto(`${stack.url}/clients/${clientId}`);
    await expect.poll(() => files(page).count(), { timeout: 30_000 }).toBe(3);
    await files(page).filter({ hasText: 'page.html' }).getByRole('button', { name: 'Remove page.html' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove this file?' });
    await dialog.getByRole('button', { name: 'Remove file' }).click();
    await expect.poll(() => files(page).count()).toBe(2);
    await page.getByText('page.html removed.').waitFor();
  });
});
