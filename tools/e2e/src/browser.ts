import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';

/** Real Chromium: CHROME_PATH if set, otherwise the binary that @sparticuz/chromium ships. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROME_PATH || (await chromium.executablePath());
  const args = process.env.CHROME_PATH
    ? ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']
    : // The Lambda-oriented defaults turn web security off, and with it the Origin header that
      // our CSRF defence relies on; a test browser must behave like a user's. Single-process mode
      // dies when a browser context closes, and tests open one per scenario.
      chromium.args.filter(
        (a) => !['--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials', '--single-process'].includes(a),
      );
  return playwright.launch({ executablePath, args, headless: true });
}
