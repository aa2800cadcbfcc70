import { z } from 'zod';
import { ConfigError, loadConfig, serviceEnv } from '@atelier/platform';
import { pdfEnv } from './pdf/pdf-config.js';

export const DEV_INVOICE_TOKEN_SECRET = 'dev-only-invoice-token-secret-change-me';

export const BillingEnv = serviceEnv('billing', { port: 4003 }).extend({
  ...pdfEnv,
  /** The web app's origin, named by invoice links (`/i/<token>`); the first of a comma-separated list. */
  PUBLIC_ORIGIN: z.string().default('http://localhost:3000'),
  /** Derives each invoice's public token (HMAC): only its hash is stored. Changing it changes every public link. */
  INVOICE_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_INVOICE_TOKEN_SECRET),
  /** How often the reminder schedule looks for reminders whose hour has come (they go out at REMINDER_AT, agency time). */
  REMINDER_SWEEP_MINUTES: z.coerce.number().int().min(1).max(60).default(15),
  /** The agency's local time scheduled payment reminders go out at. */
  REMINDER_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM').default('09:00'),
});
export type BillingConfig = ReturnType<typeof loadBillingConfig>;
export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const config = loadConfig(BillingEnv, env);
  if (config.NODE_ENV === 'production' && config.INVOICE_TOKEN_SECRET === DEV_INVOICE_TOKEN_SECRET) {
    throw new ConfigError(['INVOICE_TOKEN_SECRET: is the built-in development secret; set a random secret of at least 32 characters']);
  }
  return config;
};

/** The origin invoice links name. */
export const publicOriginOf = (config: BillingConfig): string => config.PUBLIC_ORIGIN.split(',')[0]!.trim();
