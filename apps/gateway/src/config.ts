import { z } from 'zod';
import { loadConfig, serviceEnv } from '@atelier/platform';

const upstream = (port: number) => z.url().default(`http://127.0.0.1:${port}`);

/** A rate limit as `<max>/<window seconds>`, e.g. `20/3600`. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .regex(/^\d+\/\d+$/, 'must be <max>/<window seconds>, e.g. 20/3600')
    .default(fallback)
    .transform((v) => {
      const [max, windowSeconds] = v.split('/').map(Number) as [number, number];
      return { max: Math.max(1, max), windowSeconds: Math.max(1, windowSeconds) };
    });

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
  /** A session unused this long ends, whatever its absolute expiry. */
  SESSION_IDLE_HOURS: z.coerce.number().positive().default(24),
  /** How long a resolved session or token is reused without a database round trip. */
  AUTH_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(5),
  /** Sign-in attempts per account from any address, and per address for any account. */
  RATE_LIMIT_LOGIN_ACCOUNT: rateLimit('50/900'),
  RATE_LIMIT_LOGIN_IP: rateLimit('200/900'),
  RATE_LIMIT_SIGNUP_IP: rateLimit('20/3600'),
  RATE_LIMIT_SIGNUP_ACCOUNT: rateLimit('5/3600'),
  RATE_LIMIT_ACCEPT_IP: rateLimit('20/900'),
  RATE_LIMIT_ACCEPT_INVITATION: rateLimit('10/900'),
  RATE_LIMIT_RESET_IP: rateLimit('20/3600'),
  RATE_LIMIT_RESET_ACCOUNT: rateLimit('5/3600'),
  RATE_LIMIT_TOKEN_CREATE_IP: rateLimit('50/3600'),
  RATE_LIMIT_TOKEN_CREATE_ACCOUNT: rateLimit('20/3600'),
  RATE_LIMIT_PASSWORD_CHANGE_ACCOUNT: rateLimit('10/900'),
  /** Requests per session or API token, across every gateway replica. */
  RATE_LIMIT_API: rateLimit('1200/60'),
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).default(7),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(1).default(60),
  /**
   * Proxies whose X-Forwarded-For is believed (addresses, subnets or Express' names such as
   * `loopback`, comma-separated). Empty: none, and the client's address is the socket's, so a
   * client cannot pick its own address to escape throttling.
   */
  TRUST_PROXY: z.string().default(''),
  /** Folder of the SvelteKit adapter-node build; empty disables the web app. */
  WEB_BUILD_DIR: z.string().default(new URL('../../web/build', import.meta.url).pathname),
});
export type GatewayConfig = z.infer<typeof GatewayEnv>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(GatewayEnv, env);

export const publicOrigins = (config: GatewayConfig) =>
  config.PUBLIC_ORIGIN.split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);

/** Where links in emails point: the first public origin. */
export const appOrigin = (config: GatewayConfig) => publicOrigins(config)[0] ?? 'http://localhost:3000';

export const isHttps = (config: GatewayConfig) => publicOrigins(config)[0]?.startsWith('https://') ?? false;

/** The `trust proxy` setting for Express: the listed proxies, or none. */
export const trustedProxies = (config: GatewayConfig): string[] | false => {
  const list = config.TRUST_PROXY.split(',').map((p) => p.trim()).filter(Boolean);
  return list.length > 0 ? list : false;
};
