import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
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
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'en-US' });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Import Export Studio');
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

const sidebar = () => page.getByRole('navigation', { name: 'Main' });
const step = (name: string | RegExp) => page.getByRole('heading', { name, level: 2 });
const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

async function readDownload(download: Download): Promise<string> {
  const path = await download.path();
  if (!path) throw new Error(`download ${download.url()} failed: ${await download.failure()}`);
  return readFile(path, 'utf8');
}

/** Uploads a clients CSV through the API (as another tab would have), returning the import's id. */
async function apiUpload(on: Page, text: string): Promise<string> {
  const res = await on.request.post(`${stack.url}/api/imports`, {
    headers: { Origin: stack.url },
    multipart: { entity: 'clients', file: { name: 'elsewhere.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') } },
  });
  if (res.status() !== 201) throw new Error(`upload answered ${res.status()}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Runs the wizard from an open upload step to its result; returns the result counts. */
async function importThroughWizard(file: { name: string; mimeType: string; buffer: Buffer }, entity: 'Clients' | 'Contacts') {
  await step(/^Import (clients|contacts)$/).waitFor();
  await page.getByLabel('What are you importing?').selectOption({ label: entity });
  await page.locator('input#import-file').setInputFiles(file);
  await page.getByRole('button', { name: 'Upload file' }).click();
  await step('Match columns to fields').waitFor();
  await page.getByRole('button', { name: 'Continue to preview' }).click();
  await step('Check the preview').waitFor();
  await page.getByRole('button', { name: 'Start import' }).click();
  await step(/^Import finished$|^The import stopped$/).waitFor({ timeout: 60_000 });
  const n = async (id: string) => Number((await page.getByTestId(id).textContent())?.replace(/\D/g, ''));
  return { created: await n('import-created'), updated: await n('import-updated'), failed: await n('import-failed') };
}

const CLIENTS_CSV = [
  'Company,E-mail,City,Country,Notes',
  'Acme Corp,ap@acme.example,Springfield,US,Big one',
  'Globex,info@globex.example,Cypress Creek,US,',
  '"Soylent, Inc.",not-an-email,New York,US,"quoted, comma"',
  'Umbrella,contact@umbrella.example,Raccoon City,US,',
].join('\r\n');

const CONTACTS_CSV = ['First name;Last name;Email;Company;Primary', 'Ada;Lovelace;ada@acme.example;Acme Corp;yes', 'Grace;Hopper;grace@globex.example;Globex;no'].join(
  '\n',
);

describe('CSV import wizard and export dialog in a real browser', () => {
  it('reports unusable files in plain words', async () => {
    await sidebar().getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByRole('heading', { name: 'Import from CSV', level: 1 }).waitFor();
    await step('Import clients').waitFor();
    await expect.poll(() => page.title()).toBe('Import clients · Import · Atelier');
    await expectAccessible(page, 'import wizard: upload');

    // Nothing chosen.
    await page.getByRole('button', { name: 'Upload file' }).click();
    await page.getByText('Choose a CSV file to import.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('import-file');

    // Empty file.
    await page.locator('input#import-file').setInputFiles(csv('empty.csv', ''));
    await page.getByRole('button', { name: 'Upload file' }).click();
    await page.getByText(/This file is empty/).waitFor();

    // Not a CSV at all: the server says no, the page says why.
    await page.locator('input#import-file').setInputFiles({ name: 'logo.csv', mimeType: 'text/csv', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]) });
    await page.getByRole('button', { name: 'Upload file' }).click();
    await page.getByRole('alert').getByText(/could not be read as CSV/).waitFor();
    await expectAccessible(page, 'import wizard: upload error');
  });

  it('imports clients: suggested mapping, editable, preview with row errors, result with failed rows to download', async () => {
    await page.goto(`${stack.url}/imports/new?entity=clients`);
    await step('Import clients').waitFor();
    await page.locator('input#import-file').setInputFiles(csv('clients.csv', CLIENTS_CSV));
    await page.getByRole('button', { name: 'Upload file' }).click();

    await step('Match columns to fields').waitFor();
    // Focus moves to the new step's heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('step-heading');
    await page.getByRole('navigation', { name: 'Import steps' }).locator('[aria-current="step"]').getByText('Match columns').waitFor();
    const mapSelect = (column: string) => page.getByLabel(`Import column “${column}” as`);
    await expect.poll(() => mapSelect('Company').inputValue()).toBe('name');
    await expect.poll(() => mapSelect('E-mail').inputValue()).toBe('email');
    await expect.poll(() => mapSelect('City').inputValue()).toBe('city');
    await expect.poll(() => mapSelect('Country').inputValue()).toBe('country');
    await expect.poll(() => mapSelect('Notes').inputValue()).toBe('');
    await expectAccessible(page, 'import wizard: mapping');

    // Editable: choosing a field twice is caught before anything is sent.
    await mapSelect('Notes').selectOption({ label: 'Name' });
    await page.getByRole('button', { name: 'Continue to preview' }).click();
    await page.getByRole('alert').getByText('Name is chosen for more than one column. Choose it once.').waitFor();
    await expectAccessible(page, 'import wizard: mapping with problems');
    await mapSelect('Notes').selectOption({ label: "Don't import" });
    await page.getByRole('button', { name: 'Continue to preview' }).click();

    await step('Check the preview').waitFor();
    const preview = page.getByTestId('import-preview');
    await expect.poll(() => preview.getByRole('row').count()).toBe(5); // header + 4 rows
    const soylent = preview.getByRole('row').filter({ hasText: 'Soylent, Inc.' });
    await expect.poll(() => soylent.getByRole('listitem').count()).toBeGreaterThan(0);
    await expect.poll(() => preview.getByRole('row').filter({ hasText: 'Acme Corp' }).getByText('OK', { exact: true }).count()).toBe(1);
    await page.getByText('1 row has problems').waitFor();
    await expectAccessible(page, 'import wizard: preview');

    await page.getByRole('button', { name: 'Start import' }).click();
    await step('Import finished').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('import-created').textContent()).toBe('3');
    await expect.poll(() => page.getByTestId('import-failed').textContent()).toBe('1');
    await page.getByText(/^Row 3: /).waitFor();
    await expectAccessible(page, 'import wizard: result');

    const failedRows = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download failed rows' }).click();
    const failed = await readDownload(await failedRows);
    expect(failed).toContain('Soylent, Inc.');
    expect(failed).not.toContain('Acme Corp');

    await page.getByRole('link', { name: 'Go to clients' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('clients-total').textContent()).toBe('3');
  });

  it('imports contacts from a semicolon file, linked to their clients by name', async () => {
    await sidebar().getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await step('Import contacts').waitFor();
    expect(await page.getByLabel('What are you importing?').inputValue()).toBe('contacts');
    await page.locator('input#import-file').setInputFiles(csv('contacts.csv', CONTACTS_CSV));
    await page.getByRole('button', { name: 'Upload file' }).click();
    await step('Match columns to fields').waitFor();
    await page.getByText(/separated by semicolons/).waitFor();
    await expect.poll(() => page.getByLabel('Import column “Company” as').inputValue()).toBe('clientName');
    await expect.poll(() => page.getByLabel('Import column “First name” as').inputValue()).toBe('firstName');
    await page.getByRole('button', { name: 'Continue to preview' }).click();
    await step('Check the preview').waitFor();
    await page.getByText('No problems found in these rows.').waitFor();
    await page.getByRole('button', { name: 'Start import' }).click();
    await step('Import finished').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('import-created').textContent()).toBe('2');
    await expect.poll(() => page.getByTestId('import-failed').textContent()).toBe('0');

    await page.getByRole('link', { name: 'Go to contacts' }).click();
    await expect.poll(() => page.getByTestId('contacts-total').textContent()).toBe('2');
    await page.getByRole('row').filter({ hasText: 'Ada Lovelace' }).getByRole('link', { name: 'Acme Corp' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Ada Lovelace' }).getByText('Primary', { exact: true }).waitFor();
  });

  it('exports clients with the list filters, then the full list re-imports with nothing created', async () => {
    await sidebar().getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByLabel('Search clients').fill('acme');
    await expect.poll(() => page.getByTestId('clients-total').textContent()).toBe('1');

    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export clients to CSV' });
    await dialog.waitFor();
    await expectAccessible(page, 'export dialog');
    // The list's search is carried over.
    await expect.poll(() => dialog.getByLabel('Only clients matching').inputValue()).toBe('acme');
    await dialog.getByLabel('Tax ID').uncheck();
    let downloading = page.waitForEvent('download');
    await dialog.getByRole('link', { name: 'Download CSV' }).click();
    let download = await downloading;
    await dialog.waitFor({ state: 'hidden' });
    const url = new URL(download.url());
    expect(url.pathname).toBe('/api/exports/clients.csv');
    expect(url.searchParams.get('search')).toBe('acme');
    expect(url.searchParams.get('fields')?.split(',')).not.toContain('taxId');
    const filtered = await readDownload(download);
    expect(filtered).toContain('Acme Corp');
    expect(filtered).not.toContain('Globex');

    // Everything, with a BOM for Excel.
    await page.getByLabel('Search clients').fill('');
    await expect.poll(() => page.getByTestId('clients-total').textContent()).toBe('3');
    await page.getByRole('button', { name: 'Export' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Select all importable fields' }).click();
    await dialog.getByLabel('Include BOM for Excel').check();
    downloading = page.waitForEvent('download');
    await dialog.getByRole('link', { name: 'Download CSV' }).click();
    download = await downloading;
    const path = await download.path();
    const bytes = await readFile(path!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    for (const name of ['Acme Corp', 'Globex', 'Umbrella']) expect(text).toContain(name);

    // Feed the file back to the wizard: same clients, nothing new.
    await page.getByRole('link', { name: 'Import CSV' }).click();
    const again = await importThroughWizard({ name: 'clients-export.csv', mimeType: 'text/csv', buffer: bytes }, 'Clients');
    expect(again).toMatchObject({ created: 0, failed: 0 });
    await page.getByRole('link', { name: 'Go to clients' }).click();
    await expect.poll(() => page.getByTestId('clients-total').textContent()).toBe('3');
  });

  it('exports contacts of one client from the client page and re-imports them with nothing created', async () => {
    await sidebar().getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Acme Corp' }).click();
    await page.getByRole('heading', { name: 'Acme Corp', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Export contacts' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export contacts to CSV' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByRole('combobox', { name: 'Client', exact: true }).locator('option:checked').textContent()).toBe('Acme Corp');
    await expectAccessible(page, 'export dialog (contacts)');
    const downloading = page.waitForEvent('download');
    await dialog.getByRole('link', { name: 'Download CSV' }).click();
    const download = await downloading;
    expect(new URL(download.url()).searchParams.get('clientId')).toMatch(/^[0-9a-f-]{36}$/);
    const text = await readDownload(download);
    expect(text).toContain('Lovelace');
    expect(text).not.toContain('Hopper');

    await page.goto(`${stack.url}/imports/new?entity=contacts`);
    const again = await importThroughWizard({ name: 'contacts-export.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') }, 'Contacts');
    expect(again).toMatchObject({ created: 0, failed: 0 });
    await page.getByRole('link', { name: 'Go to contacts' }).click();
    await expect.poll(() => page.getByTestId('contacts-total').textContent()).toBe('2');
  });

  it('a reload mid-wizard comes back to the same step of the same import: matching (with its edits), preview, result', async () => {
    await page.goto(`${stack.url}/imports/new`);
    await step('Import clients').waitFor();
    await page.getByLabel('What are you importing?').selectOption({ label: 'Contacts' });
    await page.waitForURL(/[?&]entity=contacts/);
    await page.reload();
    await step('Import contacts').waitFor();

    await apiAs(page, stack.url, 'POST', '/api/clients', { name: 'Reload Rockets Ltd' });
    const file = 'First name,Surname,Company,Direct line\nKatherine,Johnson,Reload Rockets Ltd,+1 415 555 0100\n';
    await page.locator('input#import-file').setInputFiles(csv('reload.csv', file));
    await page.getByRole('button', { name: 'Upload file' }).click();
    await step('Match columns to fields').waitFor();
    await page.waitForURL(/[?&]step=mapping/);
    const jobId = new URL(page.url()).searchParams.get('job');
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    const mapSelect = (column: string) => page.getByLabel(`Import column “${column}” as`);
    await expect.poll(() => mapSelect('Direct line').inputValue()).toBe('');
    await mapSelect('Direct line').selectOption({ label: 'Phone' });

    await page.reload();
    await step('Match columns to fields').waitFor();
    expect(new URL(page.url()).searchParams.get('job')).toBe(jobId);
    await page.getByText(/separated by commas in reload\.csv/).waitFor();
    await expect.poll(() => mapSelect('Direct line').inputValue()).toBe('phone');
    await expect.poll(() => mapSelect('Company').inputValue()).toBe('clientName');
    await page.getByRole('navigation', { name: 'Import steps' }).locator('[aria-current="step"]').getByText('Match columns').waitFor();

    await page.getByRole('button', { name: 'Continue to preview' }).click();
    await step('Check the preview').waitFor();
    await page.waitForURL(/step=preview/);
    await page.reload();
    await step('Check the preview').waitFor();
    const preview = page.getByTestId('import-preview');
    await preview.getByRole('row').filter({ hasText: 'Katherine' }).getByText('+1 415 555 0100').waitFor();
    await expectAccessible(page, 'import wizard: preview after a reload');

    await page.getByRole('button', { name: 'Start import' }).click();
    await step('Import finished').waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('job')).toBe(jobId);
    expect(new URL(page.url()).searchParams.get('step')).toBeNull();
    await page.reload();
    await step('Import finished').waitFor();
    await expect.poll(() => page.getByTestId('import-created').textContent()).toBe('1');

    // The same import opened where its matches are not (another tab): said, and back to the upload.
    const other = await context.newPage();
    const uploaded = await apiUpload(other, 'Name\nNobody Ltd\n');
    await other.goto(`${stack.url}/imports/new?entity=clients&job=${uploaded}&step=mapping`);
    await other.getByRole('heading', { name: 'Import clients', level: 2 }).waitFor();
    await other.getByText('Upload it again to continue.').waitFor();
    expect(new URL(other.url()).searchParams.get('job')).toBeNull();
    await other.close();
  });

  it('shows a progress bar while a larger file imports, then the result', async () => {
    const rows = 3000;
    const lines = ['Name,Email,City'];
    for (let i = 1; i <= rows; i++) lines.push(`Bulk client ${String(i).padStart(4, '0')},bulk${i}@bulk.example,Town ${i % 50}`);
    await page.goto(`${stack.url}/imports/new?entity=clients`);
    await step('Import clients').waitFor();
    await page.locator('input#import-file').setInputFiles(csv('bulk.csv', lines.join('\n')));
    await page.getByRole('button', { name: 'Upload file' }).click();
    await step('Match columns to fields').waitFor();
    await page.getByRole('button', { name: 'Continue to preview' }).click();
    await step('Check the preview').waitFor();
    // The preview shows the first 20 rows only.
    await expect.poll(() => page.getByTestId('import-preview').getByRole('row').count()).toBe(21);
    await page.getByRole('button', { name: 'Start import' }).click();

    // Accepted (202) and queued: the progress step, polled until the job is done.
    await step('Importing clients…').waitFor();
    const bar = page.getByRole('progressbar', { name: /Importing clients from bulk\.csv/ });
    await bar.waitFor();
    await expect.poll(() => page.getByTestId('import-progress').getAttribute('aria-live')).toBe('polite');
    await step('Import finished').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('import-created').textContent()).toBe(rows.toLocaleString('en-US'));
    await expect.poll(() => page.getByTestId('import-failed').textContent()).toBe('0');
    await page.getByText(`${rows.toLocaleString('en-US')} rows processed: every row was imported.`).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Download failed rows' }).count()).toBe(0);
  });

  it('the failed-rows file keeps the uploaded file’s delimiter and byte order mark (defect 5)', async () => {
    await page.goto(`${stack.url}/imports/new?entity=clients`);
    await step('Import clients').waitFor();
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name;Email\nSemicolon Supplies;hello@semicolon.example\n;nameless@semicolon.example\n', 'utf8')]);
    await page.locator('input#import-file').setInputFiles({ name: 'excel.csv', mimeType: 'text/csv', buffer: file });
    await page.getByRole('button', { name: 'Upload file' }).click();
    await step('Match columns to fields').waitFor();
    await page.getByText(/separated by semicolons/).waitFor();
    await page.getByRole('button', { name: 'Continue to preview' }).click();
    await step('Check the preview').waitFor();
    await page.getByText('1 row has problems').waitFor();
    await page.getByRole('button', { name: 'Start import' }).click();
    await step('Import finished').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('import-failed').textContent()).toBe('1');

    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download failed rows' }).click();
    const path = await (await downloading).path();
    const bytes = await readFile(path!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split(/\r?\n/);
    expect(lines[0]).toBe('Name;Email;error');
    expect(lines[1]).toMatch(/^;nameless@semicolon\.example;/);
  });
});
