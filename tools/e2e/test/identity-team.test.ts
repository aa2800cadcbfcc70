import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { linkIn } from '@atelier/platform/testing';
import { launchBrowser } from '../src/browser.js';
import { expectAccessible, signUpInBrowser } from '../src/crm.js';
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

/** The path of the first link in the mail to `to` that contains `segment` (links name PUBLIC_ORIGIN, not the test's port). */
async function linkPathFor(to: string, segment: string): Promise<string> {
  const mail = await stack.smtp.next((m) => m.rcptTo.includes(to.toLowerCase()), 20_000);
  const link = linkIn(mail, 'http');
  expect(link).toContain(segment);
  return new URL(link).pathname;
}

/**
 * The server's field error (problem+json `errors[].path`) shows under the field that edits it,
 * marks that field invalid, and is listed in the form's summary as a link to it.
 */
async function expectFieldError(page: Page, id: string, sentence: string): Promise<void> {
  const error = page.locator(`#${id}-error`);
  await error.waitFor();
  expect((await error.textContent())?.trim()).toBe(sentence);
  const field = page.locator(`#${id}`);
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(await field.getAttribute('aria-describedby')).toContain(`${id}-error`);
  await page.locator('form', { has: field }).getByRole('alert').getByRole('link', { name: sentence }).waitFor();
}

describe('team, tokens and passwords in a real browser', () => {
  it('invites a colleague, the email arrives, they accept and appear in Team', async () => {
    const owner = await (await browser.newContext()).newPage();
    await signUpInBrowser(owner, stack.url, 'Team Studio', 'Olivia Owner');
    await owner.goto(`${stack.url}/settings/team`);
    await owner.getByRole('heading', { name: 'Team' }).waitFor();
    await expectAccessible(owner);
    const colleague = `colleague-${Date.now()}@example.test`;
    await owner.getByLabel('Email').fill(colleague);
    await owner.getByLabel('Role', { exact: true }).selectOption('manager');
    await owner.getByRole('button', { name: 'Send invitation' }).click();
    await owner.getByText(`Invitation emailed to ${colleague}.`).waitFor();
    await owner.getByTestId('invitations').getByRole('cell', { name: colleague, exact: true }).waitFor();

    const path = await linkPathFor(colleague, '/invite/');
    const invitee = await (await browser.newContext()).newPage();
    await invitee.goto(`${stack.url}${path}`);
    await invitee.getByRole('heading', { name: 'Join Team Studio' }).waitFor();
    await expectAccessible(invitee);
    await invitee.getByLabel('Your name').fill('Cole League');
    await invitee.getByLabel('Choose a password').fill('a colleague password');
    await invitee.getByRole('button', { name: 'Create account and join' }).click();
    await invitee.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await owner.reload();
    const members = owner.getByTestId('members');
    await members.getByRole('cell', { name: 'Cole League', exact: true }).waitFor();
    await expect(members.getByRole('cell', { name: colleague, exact: true }).isVisible()).resolves.toBe(true);
    await expect(owner.getByText('No pending invitations.').isVisible()).resolves.toBe(true);
  });

  it('creates an API token shown once, and revoking it stops it working', async () => {
    const page = await (await browser.newContext()).newPage();
    await signUpInBrowser(page, stack.url, 'Token Studio');
    await page.goto(`${stack.url}/settings/tokens`);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByLabel('Token name').fill('CI deploys');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(token).toMatch(/^atl_/);
    await expectAccessible(page);
    const me = () => fetch(`${stack.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await me()).toBe(200);

    await page.getByRole('button', { name: 'Revoke CI deploys' }).click();
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('You have no API tokens.').waitFor();
    expect(await me()).toBe(401);
  });

  it('settings forms show what the server refused at the field', async () => {
    const context = await browser.newContext();
    // A fresh tab per form: the refused form stays dirty and would ask before being left.
    const open = async (path: string, heading: string): Promise<Page> => {
      const page = await context.newPage();
      await page.goto(`${stack.url}${path}`);
      await page.getByRole('heading', { name: heading }).waitFor();
      return page;
    };
    await signUpInBrowser(await context.newPage(), stack.url, 'Refusal Studio');

    const agency = await open('/settings/agency', 'Agency');
    await agency.getByLabel('Time zone').fill('Mars/Olympus');
    await agency.getByRole('button', { name: 'Save', exact: true }).click();
    await expectFieldError(agency, 'agency-timezone', 'Time zone must be an IANA time zone such as Europe/Berlin');
    await expectAccessible(agency);
    await agency.getByLabel('Time zone').fill('Europe/Berlin');
    await agency.getByRole('button', { name: 'Save', exact: true }).click();
    await agency.getByText('Agency details saved.').waitFor();
    expect(await agency.locator('#agency-timezone-error').count()).toBe(0);

    const profile = await open('/settings/profile', 'Profile');
    // Blank once trimmed: only the server says so (the form sends what was typed, trimmed).
    await profile.locator('#profile-name').fill('   ');
    await profile.getByRole('button', { name: 'Save name' }).click();
    await expectFieldError(profile, 'profile-name', 'Name is required');
    await profile.getByLabel('Current password').fill('whatever it was');
    await profile.getByLabel('New password').fill('short');
    await profile.getByRole('button', { name: 'Change password' }).click();
    await expectFieldError(profile, 'profile-new-password', 'New password must be at least 10 characters');
    await expectAccessible(profile);
    await profile.locator('#profile-name').fill('Pat Renamed');
    await profile.getByRole('button', { name: 'Save name' }).click();
    await profile.getByText('Your name was saved.').waitFor();
    await profile.getByLabel('Current password').fill('a very good password');
    await profile.getByLabel('New password').fill('an even better password');
    await profile.getByRole('button', { name: 'Change password' }).click();
    await profile.getByText('Your password was changed; your other sessions were signed out.').waitFor();
    expect(await profile.getByLabel('New password').inputValue()).toBe('');

    const tokens = await open('/settings/tokens', 'API tokens');
    // The input stops typing at 100 characters; without that limit the server still refuses.
    await tokens.locator('#token-name').evaluate((input) => input.removeAttribute('maxlength'));
    await tokens.getByLabel('Token name').fill('x'.repeat(101));
    await tokens.getByRole('button', { name: 'Create token' }).click();
    await expectFieldError(tokens, 'token-name', 'Token name can be at most 100 characters');
    expect(await tokens.getByTestId('new-token').count()).toBe(0);

    const team = await open('/settings/team', 'Team');
    await team.getByLabel('Email').fill('not-an-email');
    await team.getByRole('button', { name: 'Send invitation' }).click();
    await expectFieldError(team, 'invite-email', 'Email must be an email address, such as name@example.com');
    await expect(team.getByText('No pending invitations.').isVisible()).resolves.toBe(true);
    await expectAccessible(team);
  });

  it('resets a forgotten password through the emailed link', async () => {
    const setup = await (await browser.newContext()).newPage();
    const email = await signUpInBrowser(setup, stack.url, 'Reset Studio');
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${stack.url}/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('we have emailed it a link').waitFor();

    const path = await linkPathFor(email, '/reset-password/');
    await page.goto(`${stack.url}${path}`);
    await page.getByLabel('New password').fill('my new reset password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password was changed').waitFor();
    await expectAccessible(page);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('my new reset password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // The old session of the same person was signed out by the reset.
    await setup.reload();
    await setup.getByRole('heading', { name: 'Log in' }).waitFor();
  });
});
