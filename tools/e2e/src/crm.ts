import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousA11yViolations } from './axe.js';

/** Fails with a readable list when axe-core finds serious or critical problems on the page as it is now. */
export async function expectAccessible(page: Page, what = page.url()): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(
    violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    `serious or critical accessibility problems on ${what}`,
  ).toEqual([]);
}

/** Signs up a new agency in the browser and waits for the dashboard. */
export async function signUpInBrowser(page: Page, baseUrl: string, agencyName: string, name = 'Pat Wright'): Promise<string> {
  const email = `${agencyName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.test`;
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Agency name').fill(agencyName);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a very good password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  return email;
}

/**
 * Calls the JSON API with the page's session cookie, as the browser would (same Origin, so the
 * CSRF check passes). For arranging test data quickly.
 */
export async function apiAs<T>(page: Page, baseUrl: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await page.request.fetch(`${baseUrl}${path}`, {
    method,
    headers: { Origin: baseUrl, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { data: JSON.stringify(body) } : {}),
  });
  if (!res.ok()) throw new Error(`${method} ${path} → ${res.status()} ${await res.text()}`);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}
