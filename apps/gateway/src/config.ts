import { z } from 'zod';
import { loadConfig, serviceEnv } from '@atelier/platform';

const upstream = (port: number) => z.url().default(`http://127.0.0.1:${port}`);

export const GatewayEnv = serviceEnv('gateway', { port: 3000 }).extend({
  HOST: z.string().default('0.0.0.0'),
  /** The app's own origin(s), comma-separated; cookie requests that change state must come from one. */
  PUBLIC_ORIGIN: z.string().default('http://localhost:3000'),
  CRM_URL: upstream(4001),
  PROJECTS_URL: upstream(4002),
  BILLING_URL: upstream(4003),
  PAYMENTS_URL: upstream(4004),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).default(24 * 14),
  /** How long a resolved session or token is reused without a database round trip. */
  AUTH_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(5),
  /** Folder of the SvelteKit adapter-node build; empty disables the web app. */
  WEB_BUILD_DIR: z.string().default(new URL('../../web/build', import.meta.url).pathname),
});
export type GatewayConfig = z.infer<typeof GatewayEnv>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(GatewayEnv, env);

export const publicOrigins = (config: GatewayConfig) =>
  config.PUBLIC_ORIGIN.split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);

export const isHttps = (config: GatewayConfig) => publicOrigins(config)[0]?.startsWith('https://') ?? false;
