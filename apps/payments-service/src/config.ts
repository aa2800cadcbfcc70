import { z } from 'zod';
import { loadConfig, serviceEnv } from '@atelier/platform';

/** The keys `npm start` and the emulator (tools/stripe-emulator) use when nothing else is set. */
export const DEV_STRIPE_SECRET_KEY = 'sk_test_atelier_local';
export const DEV_STRIPE_WEBHOOK_SECRET = 'whsec_atelier_local_emulator_secret';

export const PaymentsEnv = serviceEnv('payments', { port: 4004 }).extend({
  /**
   * Where stripe-node sends its requests: unset for Stripe itself; the local emulator in
   * development and tests (`http://127.0.0.1:12111`), which cannot reach Stripe.
   */
  STRIPE_API_BASE: z.url().optional(),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret or restricted key').default(DEV_STRIPE_SECRET_KEY),
  /** The `whsec_` secret of the webhook endpoint, to verify `Stripe-Signature`. */
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').default(DEV_STRIPE_WEBHOOK_SECRET),
  /**
   * The app's origin as the payer's browser sees it (the first of a comma-separated list, as the
   * gateway and billing take it): Checkout's success and cancel URLs lead back there.
   */
  PUBLIC_ORIGIN: z
    .string()
    .default('http://localhost:3000')
    .transform((v) => v.split(',')[0]!.trim())
    .pipe(z.url()),
  /** Open Checkout Sessions older than this are checked by reconciliation (webhooks may have been lost). */
  RECONCILE_SESSION_AGE_SECONDS: z.coerce.number().int().min(0).default(300),
  /** How often reconciliation reads Stripe's events and the open sessions. */
  RECONCILE_EVERY_MINUTES: z.coerce.number().int().min(1).default(5),
});
export type PaymentsConfig = ReturnType<typeof loadPaymentsConfig>;

export function loadPaymentsConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(PaymentsEnv, env);
  if (config.NODE_ENV === 'production' && (config.STRIPE_SECRET_KEY === DEV_STRIPE_SECRET_KEY || config.STRIPE_WEBHOOK_SECRET === DEV_STRIPE_WEBHOOK_SECRET)) {
    throw new Error('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: the development keys cannot be used in production; set the account\'s keys');
  }
  return config;
}
