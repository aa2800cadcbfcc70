import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../src/browser.js';
import { apiAs, expectAccessible, signUpInBrowser } from '../src/crm.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

let stack: E2eStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Screens Studio');
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

const h1 = (name: string) => page.getByRole('heading', { name, level: 1 });
const progress = () => page.getByTestId('getting-started-progress').textContent();
let clientId = '';

describe('CRM screens finished: dashboard, notes, export, import, timeline, narrow screens', () => {
  it('a new agency gets a getting-started checklist that ticks itself (defect 12)', async () => {
    await h1('Dashboard').waitFor();
    await expect.poll(progress).toBe('0 of 5 done');
    await page.getByTestId('step-project').getByRole('link', { name: 'Create a project' }).waitFor();
    await expectAccessible(page, 'dashboard of a new agency');

    const client = await apiAs<{ id: string }>(page, stack.url, 'POST', '/api/clients', { name: 'Acme Corp' });
    clientId = client.id;
    await page.reload();
    await expect.poll(progress).toBe('1 of 5 done');
    expect(await page.getByTestId('step-client').getAttribute('class')).toContain('done');

    // A colleague joins: the second step ticks.
    const invitation = await apiAs<{ token: string }>(page, stack.url, 'POST', '/api/auth/invitations', { email: `marta-${Date.now()}@example.test`, role: 'member' });
    const colleague = await browser.newContext();
    const colleaguePage = await colleague.newPage();
    await apiAs(colleaguePage, stack.url, 'POST', `/api/auth/invitations/${invitation.token}/accept`, { name: 'Marta Lopez', password: 'a very good password' });
    await apiAs(colleaguePage, stack.url, 'POST', `/api/clients/${clientId}/notes`, { body: 'Call back Monday about the brief.' });
    await colleague.close();
    await page.reload();
    await expect.poll(progress).toBe('2 of 5 done');
  });

  it('notes show their author, link web addresses safely, collapse long notes and ask before discarding an edit (defect 11)', async () => {
    await apiAs(page, stack.url, 'POST', `/api/clients/${clientId}/notes`, { body: 'Brief at https://example.com/brief. Not a link: javascript:alert(1)' });
    await apiAs(page, stack.url, 'POST', `/api/clients/${clientId}/notes`, { body: `${'A long note line.\n'.repeat(20)}The end.` });
    await page.goto(`${stack.url}/clients/${clientId}`);
    await h1('Acme Corp').waitFor();
    const notes = page.getByTestId('notes');
    await notes.getByText('Marta Lopez').waitFor();

    const link = notes.getByRole('link', { name: 'https://example.com/brief' });
    expect(await link.getAttribute('href')).toBe('https://example.com/brief');
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect(await notes.locator('a[href^="javascript"]').count()).toBe(0);

    const more = notes.getByRole('button', { name: 'Show more' });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.click();
    await notes.getByRole('button', { name: 'Show less' }).waitFor();
    await expectAccessible(page, 'notes with a link and an expanded long note');

    await page.getByRole('button', { name: /^Edit note “Brief at/ }).click();
    const editor = page.getByRole('textbox', { name: 'Edit note', exact: true });
    await editor.fill('Brief changed');
    await page.keyboard.press('Escape');
    const ask = page.getByRole('dialog', { name: 'Discard your changes to this note?' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await ask.waitFor({ state: 'hidden' });
    await expect.poll(() => editor.inputValue()).toBe('Brief changed');
    await editor.focus();
    await page.keyboard.press('Escape');
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => editor.count()).toBe(0);
    await notes.getByRole('link', { name: 'https://example.com/brief' }).waitFor();
  });

  it('export dialog: BOM on by default and Download in view at 1366×768 (defects 5 and 6)', async () => {
    await page.goto(`${stack.url}/clients`);
    await h1('Clients').waitFor();
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByRole('heading', { name: 'Export clients to CSV' }).waitFor();
    expect(await dialog.getByLabel('Include BOM for Excel').isChecked()).toBe(true);
    const download = dialog.getByRole('link', { name: 'Download CSV' });
    expect(await download.getAttribute('href')).toContain('bom=true');
    const box = await download.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(768);
    // Nothing covers it: the element at its centre is the link itself.
    const onTop = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x as number, y as number)?.textContent?.trim(),
      [box!.x + box!.width / 2, box!.y + box!.height / 2],
    );
    expect(onTop).toBe('Download CSV');
    await dialog.getByLabel('Include BOM for Excel').uncheck();
    expect(await download.getAttribute('href')).toContain('bom=false');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('import wizard: sample CSV, drag-and-drop, problem rows first, and the job survives a reload (defects 3 and 14)', async () => {
    await page.goto(`${stack.url}/imports/new?entity=clients`);
    await page.getByRole('heading', { name: 'Import clients', level: 2 }).waitFor();
    const sample = page.getByRole('link', { name: 'Download a sample CSV' });
    expect(await sample.getAttribute('download')).toBe('sample-clients.csv');
    const sampleCsv = decodeURIComponent((await sample.getAttribute('href'))!.replace(/^data:text\/csv;charset=utf-8,/, ''));
    expect(sampleCsv.split('\r\n')[0]).toBe('Name,Email,Phone,Website,Address line 1,Address line 2,City,Region,Postal code,Country,Currency,Tax ID,Active');

    const csv = 'Name,Email,Address line 1\nDropped One,one@example.test,12 Extraordinarily Longstreetname Boulevard\n,missing@example.test,\nDropped Two,two@example.test,\n';
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      return dt;
    }, csv);
    await page.dispatchEvent('[data-testid="import-dropzone"]', 'drop', { dataTransfer });
    await page.getByTestId('import-chosen-file').getByText('Chosen: dropped.csv').waitFor();
    await expectAccessible(page, 'import upload step');
    await page.getByRole('button', { name: 'Upload file' }).click();
    await page.getByRole('heading', { name: 'Match columns to fields' }).waitFor();
    await page.getByRole('button', { name: 'Continue to preview' }).click();
    await page.getByRole('heading', { name: 'Check the preview' }).waitFor();

    const preview = page.getByTestId('import-preview');
    const firstRow = () => preview.locator('tbody tr').first().locator('th').textContent();
    await expect.poll(firstRow).toBe('2');
    expect(await preview.locator('tbody tr').count()).toBe(3);
    await page.getByLabel('Only rows with problems').check();
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Only rows with problems').uncheck();
    const headerStyle = await preview.locator('thead th').first().evaluate((e) => getComputedStyle(e).position);
    expect(headerStyle).toBe('sticky');
    const cellWrap = await preview.locator('tbody td').first().evaluate((e) => [getComputedStyle(e).overflowWrap, getComputedStyle(e).wordBreak]);
    expect(cellWrap).toEqual(['break-word', 'normal']);
    await expectAccessible(page, 'import preview');

    await page.getByRole('button', { name: 'Start import' }).click();
    await page.waitForURL(/[?&]job=[0-9a-f-]{36}/);
    await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 30_000 });
    await page.reload();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor();
    await expect.poll(() => page.getByTestId('import-created').textContent()).toBe('2');
    await expect.poll(() => page.getByTestId('import-failed').textContent()).toBe('1');

    // The same file again: the two rows are unchanged, and both the preview and the result say so (defect 2).
    await page.getByRole('button', { name: 'Import another file' }).click();
    await page.getByRole('heading', { name: 'Import clients', level: 2 }).waitFor();
    await page.locator('#import-file').setInputFiles({ name: 'dropped.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload file' }).click();
    await page.getByRole('button', { name: 'Continue to preview' }).click();
    await page.getByRole('heading', { name: 'Check the preview' }).waitFor();
    const actions = () => preview.locator('tbody td.action').allTextContents();
    await expect.poll(async () => (await actions()).map((a) => a.trim())).toEqual(['Skip (error)', 'Unchanged', 'Unchanged']);
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('import-unchanged').textContent()).toBe('2');
    await page.getByText('3 rows processed: 2 unchanged (already up to date), 1 could not be imported.').waitFor();
  });

  it('a phone with no digits is refused in words naming the field (defect 4)', async () => {
    await page.goto(`${stack.url}/clients/${clientId}/edit`);
    await h1('Edit client').waitFor();
    await page.getByLabel('Phone').fill('call me maybe!!!');
    await page.getByRole('button', { name: 'Save client & close' }).click();
    await page.getByRole('alert').getByText('Phone needs digits, for example +44 20 7946 0958').waitFor();
    await page.getByLabel('Phone').fill('+44 (0)20 7946-0958 x12');
    await page.getByRole('button', { name: 'Save client & close' }).click();
    await h1('Acme Corp').waitFor();
    await page.getByRole('link', { name: '+44 (0)20 7946-0958 x12' }).waitFor();
  });

  it('the Timeline page filters by client, kept in the URL (defect 7)', async () => {
    await page.goto(`${stack.url}/timeline`);
    await h1('Timeline').waitFor();
    const picker = page.getByRole('combobox', { name: 'Client', exact: true });
    await expect.poll(() => picker.locator('option').filter({ hasText: 'Acme Corp' }).count()).toBe(1);
    await picker.selectOption({ label: 'Acme Corp' });
    await page.waitForURL(new RegExp(`clientId=${clientId}`));
    await page.getByText('Showing activity for').waitFor();
    await page.reload();
    await expect.poll(() => picker.inputValue()).toBe(clientId);
    // Every entry shown is one of this client's.
    await expect
      .poll(
        async () => {
          const hrefs = await page.getByTestId('timeline').locator('.title a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
          return hrefs.length > 0 && hrefs.every((h) => h === `/clients/${clientId}`);
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await expectAccessible(page, 'timeline filtered by client');
  });

  it('timeline entries say what happened to whom, said once, and a deleted client’s entries say so instead of linking (defect 7)', async () => {
    await apiAs(page, stack.url, 'PATCH', `/api/clients/${clientId}`, { isActive: false });
    await apiAs(page, stack.url, 'PATCH', `/api/clients/${clientId}`, { isActive: true });
    const gone = await apiAs<{ id: string }>(page, stack.url, 'POST', '/api/clients', { name: 'Gone Gadgets' });
    await apiAs(page, stack.url, 'DELETE', `/api/clients/${gone.id}`);

    await page.goto(`${stack.url}/timeline`);
    await h1('Timeline').waitFor();
    const entry = (title: string) => page.getByTestId('timeline').getByRole('listitem').filter({ has: page.locator('.title', { hasText: title }) });
    // The entries arrive through the bus: look again until the last of them is there.
    await expect
      .poll(
        async () => {
          await page.reload();
          await h1('Timeline').waitFor();
          return entry('Client Gone Gadgets deleted').count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await entry("Note added to Acme Corp by Marta Lopez: 'Call back Monday about the brief.'").waitFor();
    await entry('Client Acme Corp deactivated').first().waitFor();
    await entry('Client Acme Corp activated').first().waitFor();
    // Each entry says it once: the headline, then its kind in other words.
    for (const title of ['Client Acme Corp deactivated', 'Note added to Acme Corp by Marta Lopez']) {
      const item = entry(title).first();
      const headline = (await item.locator('.title').textContent())?.trim();
      const kind = (await item.locator('.type').textContent())?.trim();
      expect(headline).not.toBe(kind);
      expect(headline?.split(kind ?? '').length).toBeLessThanOrEqual(2);
    }
    // Acme's entries link to its page; a deleted client's do not, and say why.
    expect(await entry('Client Acme Corp activated').first().getByRole('link').getAttribute('href')).toBe(`/clients/${clientId}`);
    for (const title of ['Client Gone Gadgets deleted', 'Client Gone Gadgets created']) {
      await entry(title).getByText('(client deleted)').waitFor();
      expect(await entry(title).getByRole('link').count()).toBe(0);
    }
    await expectAccessible(page, 'timeline with a deleted client');
  });

  it('first paint: a compressed shell that carries the session and names its scripts and the client page’s data requests up front, which all leave at once (§4)', async () => {
    const fresh = await context.newPage();
    // A slow network makes the order of requests and answers unmistakable.
    const cdp = await context.newCDPSession(fresh);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: -1, uploadThroughput: -1 });
    const events: string[] = [];
    const at = (url: string) => {
      const u = new URL(url);
      return u.pathname + u.search;
    };
    fresh.on('request', (r) => events.push(`request ${at(r.url())}`));
    fresh.on('response', (r) => events.push(`response ${at(r.url())}`));

    const shell = await fresh.goto(`${stack.url}/clients/${clientId}`);
    const headers = await shell!.allHeaders();
    expect(headers['content-encoding']).toMatch(/^(br|gzip)$/);
    expect(headers['cache-control']).toBe('private, no-cache');
    const html = await shell!.text();
    expect(html).toMatch(/<script type="application\/json" id="atelier-session">\{"user":/);
    // Its script is named in a Link header, so it loads while the shell is still arriving.
    expect(headers['link']).toMatch(/<[^>]*\/_app\/immutable\/[^>]+\.js>; rel="modulepreload"/);
    await fresh.getByRole('heading', { name: 'Acme Corp', level: 1 }).waitFor();
    await fresh.getByTestId('notes').getByText('Marta Lopez').first().waitFor();

    // The shell names the first screen's data requests as preloads.
    const preloads = [...html.matchAll(/<link rel="preload" as="fetch" crossorigin href="([^"]+)">/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    const paths = preloads.map((url) => new URL(url, stack.url).pathname);
    for (const path of [`/api/clients/${clientId}`, `/api/clients/${clientId}/contacts`, `/api/clients/${clientId}/notes`, '/api/timeline', '/api/projects', '/api/auth/members']) {
      expect(paths, `${path} preloaded`).toContain(path);
    }
    // Each is fetched once (the page's own request takes the preloaded answer), and all leave before the first of their answers is back.
    const firstAnswer = Math.min(...preloads.map((url) => events.indexOf(`response ${url}`)).filter((i) => i >= 0));
    for (const url of preloads) {
      expect(events.filter((e) => e === `request ${url}`), `${url} fetched once`).toHaveLength(1);
      expect(events.indexOf(`request ${url}`), `${url} asked before the first answer`).toBeLessThan(firstAnswer);
    }
    // The session came with the page: nobody asked for it.
    expect(events).not.toContain('request /api/auth/me');
    // Every script of the first load is named in the shell's Link header: none is found late, one import after another.
    const scripts = events.filter((e) => /^request \/_app\/.*\.js$/.test(e)).map((e) => e.slice('request '.length));
    expect(scripts.length).toBeGreaterThan(0);
    const preloaded = [...(headers['link'] ?? '').matchAll(/<([^>]+\.js)>; rel="modulepreload"/g)].map((m) => new URL(m[1]!, shell!.url()).pathname);
    // (SvelteKit's router also fetches the root error page, node 1, at start, to have it if a load fails; it renders nothing here.)
    for (const script of scripts.filter((s) => !/\/nodes\/1\.[^/]+\.js$/.test(s))) expect(preloaded, `${script} in the Link header`).toContain(script);
    await fresh.close();
  });

  it('long unbroken names wrap inside their cards on a narrow screen (defect 13)', async () => {
    const longName = `Supercalifragilistic${'x'.repeat(120)}Ltd`;
    const client = await apiAs<{ id: string }>(page, stack.url, 'POST', '/api/clients', { name: longName, email: `${'y'.repeat(60)}@example.test` });
    const narrow = await context.newPage();
    await narrow.setViewportSize({ width: 360, height: 740 });
    await narrow.goto(`${stack.url}/clients/${client.id}`);
    await narrow.getByRole('heading', { name: longName, level: 1 }).waitFor();
    const overflow = () => narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await narrow.goto(`${stack.url}/clients?q=Supercalifragilistic`);
    await narrow.getByRole('link', { name: longName }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await narrow.close();
  });
});
