import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { launchBrowser } from '../src/browser.js';
import { apiAs, expectAccessible, signUpInBrowser } from '../src/crm.js';
import { startE2eStack, type E2eStack } from '../src/stack.js';

let stack: E2eStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let clientId = '';
let projectUrl = '';

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  await signUpInBrowser(page, stack.url, 'Board Studio', 'Robin Board');
  clientId = (await apiAs<{ id: string }>(page, stack.url, 'POST', '/api/clients', { name: 'Initech', currency: 'EUR' })).id;
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

const h1 = (name: string) => page.getByRole('heading', { name, level: 1 });
const column = (status: string) => page.getByTestId(`column-${status}`);
const titlesIn = (status: string) => column(status).locator('[data-task-id] .task-title').allTextContents();
const reorderSaved = (): Promise<Response> =>
  page.waitForResponse((r) => r.url().includes('/tasks/reorder') && r.request().method() === 'POST' && r.ok());

describe('projects and the task board in a real browser', () => {
  it('creates a project for a client: currency from the client, budget and rate, cards and table views', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await h1('Projects').waitFor();
    await page.getByText('No projects yet').waitFor();
    await expectAccessible(page, 'empty projects list');

    await page.getByRole('link', { name: 'New project' }).first().click();
    await h1('New project').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('project-name');
    await page.keyboard.type('Website relaunch');
    await page.locator('#project-client').selectOption({ label: 'Initech' });
    // The currency follows the client's.
    await expect.poll(() => page.getByLabel('Currency').inputValue()).toBe('Euro (EUR)');
    await page.getByLabel('Budget (hours)').fill('40');
    await page.getByLabel('Hourly rate').fill('120');
    await page.getByLabel('Start date').fill('2026-03-02');
    await page.getByLabel('Due date').fill('2026-02-01');
    await page.getByRole('button', { name: 'Save project & close' }).click();
    // A due date before the start is caught before asking the server, named by its label.
    await page.locator('#project-due-date-error').getByText('Due date must be on or after the start date.').waitFor();
    await expectAccessible(page, 'project form with an error');
    await page.getByLabel('Due date').fill('2026-06-30');
    await page.getByRole('button', { name: 'Save project & close' }).click();

    // "Save & close" goes back to the list it was opened from.
    await h1('Projects').waitFor();
    const card = page.getByTestId('project-card').filter({ hasText: 'Website relaunch' });
    await card.getByText('Active').waitFor();
    await card.getByText('Initech').waitFor();
    await card.getByText('0% of budget used').waitFor();
    await expectAccessible(page, 'projects as cards');

    await page.getByRole('button', { name: 'Table' }).click();
    await expect.poll(() => page.url()).toContain('view=table');
    await page.getByRole('cell', { name: 'Website relaunch' }).waitFor();
    await expectAccessible(page, 'projects as a table');

    // Filters live in the URL: a status that matches nothing, then a reload keeps it.
    await page.getByLabel('Status').selectOption('completed');
    await page.getByText('No projects match your search or filter').waitFor();
    await page.reload();
    await page.getByText('No projects match your search or filter').waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('completed');
    await page.getByLabel('Status').selectOption('all');
    await page.getByRole('link', { name: 'Website relaunch' }).click();

    await h1('Website relaunch').waitFor();
    projectUrl = page.url();
    await page.getByTestId('stat-logged').getByText('0 h').waitFor();
    await page.getByText('No time logged yet.').first().waitFor();
    await expectAccessible(page, 'project overview');
  });

  it('adds tasks on the board, drags one to In progress with the mouse, and the move survives a reload', async () => {
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Board' }).click();
    await column('todo').waitFor();
    for (const title of ['Wireframes', 'Logo', 'Copy']) {
      await page.getByLabel('New task in To do').fill(title);
      await page.getByRole('button', { name: 'Add task to To do' }).click();
      await expect.poll(() => titlesIn('todo').then((t) => t.includes(title))).toBe(true);
    }
    expect(await titlesIn('todo')).toEqual(['Wireframes', 'Logo', 'Copy']);
    await expectAccessible(page, 'task board');

    const card = column('todo').getByTestId('task-card').filter({ hasText: 'Logo' });
    const from = (await card.boundingBox())!;
    const to = (await column('in_progress').locator('ul').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height - 8);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + 20, { steps: 12 });
    expect(await page.locator('.ghost').textContent()).toBe('Logo');
    const saved = reorderSaved();
    await page.mouse.up();
    await saved;
    expect(await titlesIn('in_progress')).toEqual(['Logo']);
    expect(await titlesIn('todo')).toEqual(['Wireframes', 'Copy']);
    // The drag did not open the task.
    expect(page.url()).not.toContain('task=');

    await page.reload();
    await column('in_progress').getByText('Logo').waitFor();
    expect(await titlesIn('todo')).toEqual(['Wireframes', 'Copy']);
  });

  it('moves a task with the keyboard alone, across and within columns, with announcements, and it persists', async () => {
    await page.getByRole('button', { name: 'Move Copy' }).focus();
    await page.keyboard.press('Space');
    const announcer = page.getByTestId('board-announcer');
    await expect.poll(() => announcer.textContent()).toContain('Picked up Copy, in To do, position 2 of 2');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => announcer.textContent()).toBe('Copy: In progress, position 2 of 2.');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => announcer.textContent()).toBe('Copy: In progress, position 1 of 2.');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => announcer.textContent()).toBe('Copy cannot go further up.');
    // Focus stays on the task being moved.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move Copy');
    const saved = reorderSaved();
    await page.keyboard.press('Space');
    await saved;
    await expect.poll(() => announcer.textContent()).toBe('Dropped Copy in In progress, position 1 of 2.');
    expect(await titlesIn('in_progress')).toEqual(['Copy', 'Logo']);

    // Escape puts a lifted task back where it was.
    await page.getByRole('button', { name: 'Move Wireframes' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    await expect.poll(() => announcer.textContent()).toBe('Move cancelled. Wireframes is back in To do, position 1.');
    expect(await titlesIn('todo')).toEqual(['Wireframes']);

    await page.reload();
    await column('in_progress').getByText('Copy').waitFor();
    expect(await titlesIn('in_progress')).toEqual(['Copy', 'Logo']);
    expect(await titlesIn('todo')).toEqual(['Wireframes']);
  });

  it('edits a task in its drawer and in the task list, and the client page shows the project', async () => {
    await column('todo').getByRole('link', { name: 'Wireframes' }).click();
    const drawer = page.getByTestId('task-drawer');
    await drawer.getByRole('heading', { name: 'Task details' }).waitFor();
    expect(page.url()).toContain('task=');
    await drawer.getByLabel('Priority').selectOption('high');
    await drawer.getByLabel('Assignee').selectOption({ label: 'Robin Board' });
    await drawer.getByLabel('Estimate (hours)').fill('5');
    await expectAccessible(page, 'task drawer');
    await drawer.getByRole('button', { name: 'Save task & close' }).click();
    await expect.poll(() => page.url()).not.toContain('task=');
    const card = column('todo').getByTestId('task-card').filter({ hasText: 'Wireframes' });
    await card.getByText('High').waitFor();
    await card.getByText('Robin Board').waitFor();

    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'task list');
    await page.getByLabel('Status of Wireframes').selectOption('done');
    await page.getByText('Wireframes: Status saved.').waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('Status of Wireframes').inputValue()).toBe('done');

    await page.goto(projectUrl);
    await page.getByTestId('tasks-done').getByText('1').waitFor();
    await page.getByTestId('tasks-in_progress').getByText('2').waitFor();

    // The edit form returns to the project page it was opened from.
    await page.getByRole('link', { name: 'Edit project' }).click();
    await h1('Edit project').waitFor();
    await expect.poll(() => page.getByLabel('Budget (hours)').inputValue()).toBe('40');
    await page.getByLabel('Description').fill('Relaunch of the Initech site, in three phases.');
    await expectAccessible(page, 'project edit form');
    await page.getByRole('button', { name: 'Save project & close' }).click();
    await h1('Website relaunch').waitFor();
    await page.getByText('Changes to Website relaunch saved.').waitFor();
    await page.getByText('Relaunch of the Initech site, in three phases.').waitFor();

    await page.goto(`${stack.url}/clients/${clientId}`);
    await h1('Initech').waitFor();
    await page.getByTestId('client-projects').getByRole('link', { name: 'Website relaunch' }).waitFor();
    await expectAccessible(page, 'client page with its projects');
  });

  it('time logged on the project shows in its summary, its budget bar and its burn chart', async () => {
    const projectId = projectUrl.split('/projects/')[1]!.split(/[/?]/)[0]!;
    await apiAs(page, stack.url, 'POST', '/api/time-entries', { projectId, minutes: 90, date: '2026-03-02', description: 'Kick-off' });
    await apiAs(page, stack.url, 'POST', '/api/time-entries', { projectId, minutes: 60, date: '2026-03-04' });
    await page.goto(projectUrl);
    await page.getByTestId('stat-logged').getByText('2.5 h').waitFor();
    await page.getByText('2.5 h of a 40 h budget logged from Mar 2, 2026 to Mar 4, 2026 (6%).').waitFor();
    await page.getByText("Show the chart's data as a table").click();
    await page.getByRole('row', { name: 'Mar 4, 2026 1 h 2.5 h' }).waitFor();
    await page.getByTestId('recent-time').getByText('Kick-off').waitFor();
    await expectAccessible(page, 'project overview with time');

    await page.goto(`${stack.url}/projects`);
    await page.getByTestId('project-card').filter({ hasText: 'Website relaunch' }).getByText('6% of budget used').waitFor();
  });
});
