import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../src/browser.js';
import { expectAccessible, signUpInBrowser } from '../src/crm.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

let stack: E2eStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Client Screens Studio');
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

const sidebar = () => page.getByRole('navigation', { name: 'Main' });
const h1 = (name: string) => page.getByRole('heading', { name, level: 1 });

describe('CRM client screens in a real browser', () => {
  it('creates a client with "Save & continue", keeps editing, then "Save & close" returns to the list it came from', async () => {
    await sidebar().getByRole('link', { name: 'Clients' }).click();
    await h1('Clients').waitFor();
    await page.getByText('No clients yet').waitFor();
    await expectAccessible(page, 'clients list (empty)');

    await page.getByRole('link', { name: 'New client' }).click();
    await h1('New client').waitFor();
    await expect.poll(() => page.title()).toBe('New client · Atelier');
    await expectAccessible(page, 'client form (new)');

    await page.getByLabel('Name').fill('Initech');
    await page.getByLabel('Email').fill('hello@initech.example');
    await page.getByRole('button', { name: 'Save & continue' }).click();

    // Now editing the client just created, with a confirmation.
    await h1('Edit client').waitFor();
    await page.waitForURL(/\/clients\/[0-9a-f-]{36}\/edit\?returnTo=%2Fclients$/);
    await page.getByRole('status').getByText(/Client Initech created/).waitFor();
    await expect.poll(() => page.getByLabel('Name').inputValue()).toBe('Initech');

    await page.getByLabel('City').fill('Austin');
    await page.getByRole('button', { name: 'Save & continue' }).click();
    await page.getByRole('status').getByText(/Changes saved at/).waitFor();
    expect(page.url()).toMatch(/\/edit(\?|$)/);

    await page.getByLabel('Phone').fill('+1 512 555 0100');
    await page.getByRole('button', { name: 'Save client & close' }).click();
    // Back where the person started: the clients list.
    await h1('Clients').waitFor();
    await page.getByRole('status').getByText('Changes to Initech saved.').waitFor();
    await page.getByRole('link', { name: 'Initech' }).click();
    await h1('Initech').waitFor();
    await page.getByText('Austin').waitFor();
    await page.getByRole('link', { name: '+1 512 555 0100' }).waitFor();
  });

  it('guards unsaved changes: in-app navigation asks first, closing the tab gets the browser prompt', async () => {
    await page.getByRole('link', { name: 'Edit client' }).click();
    await h1('Edit client').waitFor();
    await expectAccessible(page, 'client form (edit)');

    // No changes yet: leaving is free.
    await sidebar().getByRole('link', { name: 'Contacts' }).click();
    await h1('Contacts').waitFor();
    await page.goBack();
    await h1('Edit client').waitFor();

    await page.getByLabel('Tax ID').fill('US-123');
    await page.getByText('Unsaved changes').waitFor();
    await sidebar().getByRole('link', { name: 'Clients' }).click();
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.waitFor();
    await expectAccessible(page, 'unsaved-changes dialog');
    // Focus starts on the safe choice.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Stay on this page');
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(page.url()).toMatch(/\/edit(\?|$)/);
    await expect.poll(() => page.getByLabel('Tax ID').inputValue()).toBe('US-123');

    // Escape also keeps you on the form.
    await sidebar().getByRole('link', { name: 'Clients' }).click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(page.url()).toMatch(/\/edit(\?|$)/);

    // Closing the tab: the browser's own "Leave site?" prompt.
    const prompt = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const beforeUnload = await prompt;
    expect(beforeUnload.type()).toBe('beforeunload');
    await beforeUnload.dismiss();
    expect(page.isClosed()).toBe(false);

    // Discarding goes where you were heading.
    await sidebar().getByRole('link', { name: 'Clients' }).click();
    await dialog.getByRole('button', { name: 'Discard changes' }).click();
    await h1('Clients').waitFor();
    await page.getByRole('link', { name: 'Initech' }).click();
    await h1('Initech').waitFor();
    await expect.poll(() => page.getByText('US-123').count()).toBe(0);
  });

  it('adds contacts (primary badge, make primary) and notes (pin) on the client page', async () => {
    await h1('Initech').waitFor();
    await expect.poll(() => page.title()).toBe('Initech · Atelier');
    await page.getByRole('heading', { name: 'Contacts', level: 2 }).waitFor();
    await page.getByText('No contacts yet').waitFor();
    await page.getByText('No notes yet').waitFor();
    await expectAccessible(page, 'client page (empty contacts and notes)');

    await page.getByRole('group', { name: 'Quick actions' }).getByRole('link', { name: 'Add contact' }).click();
    await h1('New contact').waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Client', exact: true }).locator('option:checked').textContent()).toBe('Initech');
    await expectAccessible(page, 'contact form');
    await page.getByLabel('First name').fill('Peter');
    await page.getByLabel('Last name').fill('Gibbons');
    await page.getByLabel('Email').fill('peter@initech.example');
    await page.getByLabel('Job title').fill('Programmer');
    await page.getByLabel('Primary contact').check();
    await page.getByRole('button', { name: 'Add contact' }).click();

    await h1('Initech').waitFor();
    const contacts = page.getByRole('list', { name: 'Contacts at Initech' });
    await contacts.getByRole('listitem').filter({ hasText: 'Peter Gibbons' }).getByText('Primary', { exact: true }).waitFor();

    await page.getByRole('link', { name: 'Add a contact' }).click();
    await h1('New contact').waitFor();
    await page.getByLabel('First name').fill('Samir');
    await page.getByLabel('Last name').fill('Nagheenanajar');
    await page.getByLabel('Email').fill('not an email');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByLabel('Email').and(page.locator('[aria-invalid="true"]')).waitFor();
    await page.getByRole('alert').getByText('The contact could not be added.').waitFor();
    await expectAccessible(page, 'contact form with errors');
    await page.getByLabel('Email').fill('samir@initech.example');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await h1('Initech').waitFor();

    const samir = contacts.getByRole('listitem').filter({ hasText: 'Samir Nagheenanajar' });
    await samir.waitFor();
    await expect.poll(() => samir.getByText('Primary', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Make primary: Samir Nagheenanajar' }).click();
    await page.getByRole('status').getByText('Samir Nagheenanajar is now the primary contact.').waitFor();
    await samir.getByText('Primary', { exact: true }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit Samir Nagheenanajar');
    // At most one primary per client.
    await expect.poll(() => contacts.getByText('Primary', { exact: true }).count()).toBe(1);
    // The primary contact is listed first.
    await expect.poll(() => contacts.getByRole('listitem').first().textContent()).toContain('Samir');

    // Notes: the quick action takes you to the note box.
    await page.getByRole('group', { name: 'Quick actions' }).getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('note-body');
    await page.keyboard.type('Kickoff call went well. Budget approved.');
    await page.getByRole('button', { name: 'Post note' }).click();
    const notes = page.getByTestId('notes');
    await notes.getByText('Kickoff call went well.').waitFor();
    await page.getByLabel('Add a note').fill('Remember: invoices go to accounts payable, not Bill.');
    await page.getByRole('button', { name: 'Post note' }).click();
    await notes.getByText('Remember: invoices').waitFor();
    // Newest first while nothing is pinned.
    await expect.poll(() => notes.getByRole('listitem').first().textContent()).toContain('Remember: invoices');

    await page.getByRole('button', { name: /^Pin note “Kickoff call/ }).click();
    await page.getByRole('status').getByText('Note pinned to the top.').waitFor();
    await expect.poll(() => notes.getByRole('listitem').first().textContent()).toContain('Kickoff call');
    await notes.getByRole('listitem').first().getByText('Pinned', { exact: true }).waitFor();
    // Keyboard focus stays on the moved note's button.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Unpin');

    // Edit your own note in place.
    await page.getByRole('button', { name: /^Edit note “Remember/ }).click();
    await page.getByRole('textbox', { name: 'Edit note' }).fill('Remember: invoices go to accounts payable.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await notes.getByText('Remember: invoices go to accounts payable.', { exact: true }).waitFor();

    // Delete with confirmation.
    await page.getByRole('button', { name: /^Delete note “Remember/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this note?' });
    await confirm.waitFor();
    await expectAccessible(page, 'delete-note dialog');
    await confirm.getByRole('button', { name: 'Delete note' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => notes.getByRole('listitem').count()).toBe(1);

    // Unpin again.
    await page.getByRole('button', { name: /^Unpin note “Kickoff/ }).click();
    await page.getByRole('status').getByText('Note unpinned.').waitFor();

    // The timeline on the client page picks up contact and note events.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh timeline' }).click();
          return page.getByTestId('timeline').getByText(/^Note added$/).count();
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await page.getByTestId('timeline').getByText(/^Contact added$/).first().waitFor({ timeout: 20_000 });
    await expectAccessible(page, 'client page with contacts, notes and timeline');
  });

  it('contacts page: filter by client, primary indicator, inline edit, bulk delete with confirmation', async () => {
    // A second client with a contact, to filter against.
    await sidebar().getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('link', { name: 'New client' }).click();
    await page.getByLabel('Name').fill('Chotchkies');
    await page.getByRole('button', { name: 'Save client & close' }).click();
    await h1('Clients').waitFor();
    await page.getByRole('link', { name: 'Chotchkies' }).click();
    await h1('Chotchkies').waitFor();
    await page.getByRole('group', { name: 'Quick actions' }).getByRole('link', { name: 'Add contact' }).click();
    await page.getByLabel('First name').fill('Joanna');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await h1('Chotchkies').waitFor();

    await sidebar().getByRole('link', { name: 'Contacts' }).click();
    await h1('Contacts').waitFor();
    await expect.poll(() => page.getByTestId('contacts-total').textContent()).toBe('3');
    await expectAccessible(page, 'contacts list');
    const table = page.getByRole('table');
    await table.getByRole('row').filter({ hasText: 'Samir Nagheenanajar' }).getByText('Primary', { exact: true }).waitFor();

    // Filter by client.
    const picker = page.getByRole('combobox', { name: 'Client', exact: true });
    await expect.poll(() => picker.locator('option').filter({ hasText: 'Chotchkies' }).count()).toBe(1);
    await picker.selectOption({ label: 'Chotchkies' });
    await expect.poll(() => page.getByTestId('contacts-total').textContent()).toBe('1');
    await table.getByText('Joanna').waitFor();
    await picker.selectOption({ label: 'All clients' });
    await expect.poll(() => page.getByTestId('contacts-total').textContent()).toBe('3');

    // Search.
    await page.getByLabel('Search contacts').fill('gibbons');
    await expect.poll(() => page.getByTestId('contacts-total').textContent()).toBe('1');
    await page.getByLabel('Search contacts').fill('');
    await expect.poll(() => page.getByTestId('contacts-total').textContent()).toBe('3');

    // Inline edit: the row becomes inputs, Enter saves, focus returns to the row's Edit button.
    await page.getByRole('button', { name: 'Edit Peter Gibbons' }).click();
    const title = table.getByRole('textbox', { name: 'Job title' });
    await expect.poll(() => title.inputValue()).toBe('Programmer');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('First name');
    await expectAccessible(page, 'contacts list with a row in edit mode');
    await title.fill('Senior programmer');
    await title.press('Enter');
    await page.getByRole('status').getByText('Changes to Peter Gibbons saved.').waitFor();
    await table.getByRole('row').filter({ hasText: 'Peter Gibbons' }).getByText('Senior programmer').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit Peter Gibbons');

    // Escape cancels an inline edit.
    await page.getByRole('button', { name: 'Edit Joanna' }).click();
    await table.getByRole('textbox', { name: 'First name' }).fill('Changed');
    await page.keyboard.press('Escape');
    await table.getByText('Joanna').waitFor();

    // Bulk delete two contacts.
    await page.getByRole('checkbox', { name: 'Select Joanna' }).check();
    await page.getByRole('checkbox', { name: 'Select Peter Gibbons' }).check();
    await page.getByRole('region', { name: 'Bulk actions' }).getByText('2 selected').waitFor();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete 2 contacts?' });
    await confirm.waitFor();
    await expectAccessible(page, 'bulk delete dialog');
    await confirm.getByRole('button', { name: 'Delete 2 contacts' }).click();
    await page.getByRole('status').getByText('2 contacts deleted.').waitFor();
    await expect.poll(() => page.getByTestId('contacts-total').textContent()).toBe('1');
  });

  it('clients list: toggle active per row, delete with confirmation', async () => {
    await sidebar().getByRole('link', { name: 'Clients' }).click();
    await h1('Clients').waitFor();
    await expect.poll(() => page.getByTestId('clients-total').textContent()).toBe('2');
    await expectAccessible(page, 'clients list');

    await page.getByRole('button', { name: 'Deactivate Chotchkies' }).click();
    await page.getByRole('status').getByText('Chotchkies is now inactive.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Activate Chotchkies');
    await page.getByRole('row').filter({ hasText: 'Chotchkies' }).getByText('Inactive', { exact: true }).waitFor();
    await page.getByLabel('Status').selectOption('inactive');
    await expect.poll(() => page.getByTestId('clients-total').textContent()).toBe('1');
    await page.getByRole('button', { name: 'Activate Chotchkies' }).click();
    await page.getByRole('status').getByText('Chotchkies is now active.').waitFor();
    await page.getByLabel('Status').selectOption('all');

    await page.getByRole('button', { name: 'Delete Chotchkies' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this client?' });
    await confirm.waitFor();
    await expectAccessible(page, 'delete-client dialog');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    // Focus goes back to the button that opened the dialog.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Delete Chotchkies');

    await page.getByRole('button', { name: 'Delete Chotchkies' }).click();
    await confirm.getByRole('button', { name: 'Delete client' }).click();
    await page.getByRole('status').getByText('Chotchkies was deleted.').waitFor();
    await expect.poll(() => page.getByTestId('clients-total').textContent()).toBe('1');
    await expect.poll(() => page.getByRole('link', { name: 'Chotchkies' }).count()).toBe(0);
  });

  it('works on a narrow screen: client page and contacts list stay usable', async () => {
    const narrow = await browser.newContext({ viewport: { width: 390, height: 800 }, storageState: await context.storageState() });
    const p = await narrow.newPage();
    await p.goto(`${stack.url}/contacts`);
    await p.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await p.getByText('Samir Nagheenanajar').waitFor();
    await expectAccessible(p, 'contacts list (narrow)');
    await p.goto(`${stack.url}/clients`);
    await p.getByRole('link', { name: 'Initech' }).click();
    await p.getByRole('heading', { name: 'Initech', level: 1 }).waitFor();
    await p.getByTestId('notes').waitFor();
    await expectAccessible(p, 'client page (narrow)');
    // Nothing is wider than the screen.
    await expect.poll(() => p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await narrow.close();
  });
});
