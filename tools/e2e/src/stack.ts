import { randomBytes } from 'node:crypto';
import { databaseUrl, dropDatabase } from '@atelier/platform';
import { startTestSmtp, TEST_ADMIN_URL, TEST_AMQP_URL, type TestSmtp } from '@atelier/platform/testing';
import { buildWebIfStale, prepareDatabase, startPlatform, type Platform } from '@atelier/tool-dev';
import { startStripeEmulator, type StripeEmulator } from '@atelier/tool-stripe-emulator';
import type { BrowserContext } from 'playwright-core';

/**
 * The origin billing and payments put in links (invoice emails, Checkout's success and cancel
 * URLs): their default, since the gateway's port is known only after they have started.
 */
export const STACK_PUBLIC_ORIGIN = 'http://localhost:3000';

export interface E2eStack {
  url: string;
  platform: Platform;
  /** The superuser on the stack's database, for arranging what no screen or API can (a billed entry before billing exists). */
  adminUrl: string;
  /** Every mail the platform sends (invitations, password resets) arrives here. */
  smtp: TestSmtp;
  /** The Stripe emulator payments-service talks to; its webhooks go to the stack's gateway. */
  stripe: StripeEmulator;
  stop(): Promise<void>;
}

/**
 * Sends the browser's visits to the services' public origin on to the stack's gateway, as a
 * reverse proxy in front of the app would: the hosted checkout's way back then lands on this
 * stack (and never on whatever may be listening on port 3000). Playwright does not route the
 * target of a redirect, so the emulator's own redirects (Checkout's success and cancel) are
 * rewritten on the way through.
 */
export async function followPublicLinks(context: BrowserContext, stack: Pick<E2eStack, 'url' | 'stripe'>): Promise<void> {
  const onStack = (target: string) => {
    const url = new URL(target);
    return `${stack.url}${url.pathname}${url.search}`;
  };
  await context.route(`${STACK_PUBLIC_ORIGIN}/**`, (route) => route.fulfill({ status: 302, headers: { location: onStack(route.request().url()) } }));
  const emulatorPort = String(stack.stripe.port);
  await context.route(
    (url) => url.port === emulatorPort && (url.hostname === 'localhost' || url.hostname === '127.0.0.1'),
    async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers()['location'];
      if (location?.startsWith(`${STACK_PUBLIC_ORIGIN}/`)) await route.fulfill({ response, headers: { ...response.headers(), location: onStack(location) } });
      else await route.fulfill({ response });
    },
  );
}

/** The whole platform on a throwaway database and bus namespace, on free ports. */
export async function startE2eStack(): Promise<E2eStack> {
  const database = `atelier_e2e_${randomBytes(4).toString('hex')}`;
  await prepareDatabase(TEST_ADMIN_URL, database);
  await buildWebIfStale();
  const smtp = await startTestSmtp();
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const stripe = await startStripeEmulator({ retryDelaysMs: [200, 500, 1_000, 2_000, 5_000], asyncPaymentDelayMs: 500 });
  const platform = await startPlatform({
    adminUrl: TEST_ADMIN_URL,
    database,
    amqpUrl: TEST_AMQP_URL,
    namespace: `e2e${randomBytes(3).toString('hex')}.`,
    gatewayPort: 0,
    servicePorts: 'free',
    logLevel: 'warn',
    extraEnv: {
      BUS_RETRY_DELAYS_MS: '100,200,400,800', SMTP_URL: smtp.url, JOBS_POLL_MS: '200',
      STRIPE_API_BASE: stripe.url, STRIPE_SECRET_KEY: 'sk_test_e2e', STRIPE_WEBHOOK_SECRET: webhookSecret,
    },
  });
  // The gateway's port is known only now.
  stripe.emulator.webhooks.addEndpoint(`${platform.services.gateway!.url}/webhooks/stripe`, webhookSecret, ['*'], true);
  return {
    url: platform.services.gateway!.url,
    platform,
    adminUrl: databaseUrl(TEST_ADMIN_URL, database),
    smtp,
    stripe,
    async stop() {
      await platform.stop();
      await smtp.stop();
      await stripe.stop();
      await dropDatabase(TEST_ADMIN_URL, database);
    },
  };
}
