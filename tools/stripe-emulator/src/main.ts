// The Stripe emulator on its own: `npm start -w tools/stripe-emulator` (npm start at the root runs it too).
import { z } from 'zod';
import { loadConfig } from '@atelier/platform';
import { startStripeEmulator } from './server.js';

const delays = z.string().regex(/^\d+(,\d+)*$/).transform((s) => s.split(',').map(Number));
const env = loadConfig(
  z.object({
    PORT: z.coerce.number().int().default(12111),
    HOST: z.string().default('127.0.0.1'),
    PUBLIC_URL: z.url().optional(),
    /** Comma-separated: every endpoint gets every event, signed with STRIPE_WEBHOOK_SECRET. */
    STRIPE_WEBHOOK_URL: z.string().optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').default('whsec_atelier_local_emulator_secret'),
    STRIPE_SECRET_KEY: z.string().startsWith('sk_test_').optional(),
    STRIPE_EMULATOR_RETRY_DELAYS_MS: delays.optional(),
    STRIPE_EMULATOR_ASYNC_DELAY_MS: z.coerce.number().int().min(0).optional(),
  }),
);

const emulator = await startStripeEmulator({
  port: env.PORT,
  host: env.HOST,
  ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
  ...(env.STRIPE_SECRET_KEY ? { apiKey: env.STRIPE_SECRET_KEY } : {}),
  webhooks: (env.STRIPE_WEBHOOK_URL ?? '').split(',').filter(Boolean).map((url) => ({ url, secret: env.STRIPE_WEBHOOK_SECRET })),
  ...(env.STRIPE_EMULATOR_RETRY_DELAYS_MS ? { retryDelaysMs: env.STRIPE_EMULATOR_RETRY_DELAYS_MS } : {}),
  asyncPaymentDelayMs: env.STRIPE_EMULATOR_ASYNC_DELAY_MS ?? 10_000,
});
process.stdout.write(`[stripe-emulator] API and dashboard at ${emulator.url} (webhooks: ${emulator.endpoints.map((e) => e.url).join(', ') || 'none'})\n`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
