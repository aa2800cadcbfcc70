// `npm start`: database, migrations, web build, every service and the gateway, demo data.
import { z } from 'zod';
import { loadConfig, localAdminUrl } from '@atelier/platform';
import { startStripeEmulator } from '@atelier/tool-stripe-emulator';
import { startMailCatcher } from './mail-catcher.js';
import { buildWebIfStale, prepareDatabase, startPlatform } from './platform.js';
import { DEMO, seedDemo } from './seed.js';

const env = loadConfig(
  z.object({
    DATABASE_ADMIN_URL: z.url().default(localAdminUrl()),
    DATABASE_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('atelier'),
    AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
    PORT: z.coerce.number().int().default(3000),
    LOG_LEVEL: z.string().default('info'),
    PUBLIC_ORIGIN: z.string().optional(),
    MAILDEV_SMTP_PORT: z.coerce.number().int().default(1025),
    MAILDEV_WEB_PORT: z.coerce.number().int().default(1080),
    STRIPE_EMULATOR_PORT: z.coerce.number().int().default(12111),
    /** The emulator's key and webhook secret, which payments-service is given (the same defaults it has). */
    STRIPE_SECRET_KEY: z.string().startsWith('sk_test_').default('sk_test_atelier_local'),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').default('whsec_atelier_local_emulator_secret'),
    /** How long a bank debit on the emulator's checkout takes to succeed or fail. */
    STRIPE_EMULATOR_ASYNC_DELAY_MS: z.coerce.number().int().min(0).default(10_000),
  }),
);
const say = (line: string) => process.stdout.write(`[atelier] ${line}\n`);

say(`preparing database "${env.DATABASE_NAME}"…`);
await prepareDatabase(env.DATABASE_ADMIN_URL, env.DATABASE_NAME);
await buildWebIfStale(say);
const mail = await startMailCatcher(env.MAILDEV_SMTP_PORT, env.MAILDEV_WEB_PORT);
say(`mail catcher (maildev) listening for SMTP on 127.0.0.1:${mail.smtpPort}`);
// Stripe cannot be reached from here: payments-service talks to the emulator, which sends its
// signed webhooks to the gateway's /webhooks/stripe (retrying until the platform is up).
const stripe = await startStripeEmulator({
  port: env.STRIPE_EMULATOR_PORT,
  apiKey: env.STRIPE_SECRET_KEY,
  webhooks: [{ url: `http://127.0.0.1:${env.PORT}/webhooks/stripe`, secret: env.STRIPE_WEBHOOK_SECRET }],
  asyncPaymentDelayMs: env.STRIPE_EMULATOR_ASYNC_DELAY_MS,
});
say(`Stripe emulator listening at ${stripe.url}`);
const platform = await startPlatform({
  adminUrl: env.DATABASE_ADMIN_URL,
  database: env.DATABASE_NAME,
  amqpUrl: env.AMQP_URL,
  gatewayPort: env.PORT,
  servicePorts: 'default',
  publicOrigin: env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT},http://127.0.0.1:${env.PORT}`,
  logLevel: env.LOG_LEVEL,
  // Every service sends its mail to the catcher.
  extraEnv: {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(mail.smtpPort),
    STRIPE_API_BASE: stripe.url,
    STRIPE_SECRET_KEY: env.STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET,
  },
  log: say,
  onOutput: (service, chunk) => {
    for (const line of chunk.split('\n')) if (line.trim()) process.stdout.write(`[${service}] ${line}\n`);
  },
});
const seeded = await seedDemo(platform.url);
say(`demo agency ${seeded === 'created' ? 'created' : 'already there'}`);
say('');
say(`Atelier is running at http://localhost:${env.PORT}`);
say(`Log in as ${DEMO.email} / ${DEMO.password}`);
say(`Mail sent by Atelier (invitations, password resets) shows up at ${mail.webUrl}`);
say(`Stripe checkouts, payments and webhook deliveries (the local emulator) are listed at http://localhost:${stripe.port}/`);
say('Press Ctrl-C to stop.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await platform.stop();
  await mail.stop();
  await stripe.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
