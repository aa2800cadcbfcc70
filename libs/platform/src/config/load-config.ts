import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses `env` with the app's schema and fails fast, naming every bad variable at once. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Variables every service shares; each app extends this with its own. */
export const serviceEnv = (name: string, defaults: { port: number }) =>
  z.object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOST: z.string().default('127.0.0.1'),
    PORT: port(defaults.port),
    DATABASE_URL: z.url().default(`postgres://atelier_${name}:atelier_${name}@127.0.0.1:5432/atelier`),
    DATABASE_OWNER_URL: z.url().default('postgres://atelier_owner:atelier_owner@127.0.0.1:5432/atelier'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
    /** Prefix for the exchange and queues; lets test runs share one broker. */
    AMQP_NAMESPACE: z.string().regex(/^[a-z0-9_.-]*$/).default(''),
    /** Back-off before attempts 2..N of a failing event; after the last, the message is dead-lettered. */
    BUS_RETRY_DELAYS_MS: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds')
      .default('1000,5000,30000,120000')
      .transform((v) => v.split(',').map(Number)),
    /** Safety-net poll of the outbox relay; NOTIFY wakes it at once in the normal case. */
    OUTBOX_POLL_MS: z.coerce.number().int().min(100).default(2_000),
    INTERNAL_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').default('dev-only-internal-token-secret-change-me'),
    BODY_LIMIT: z.string().default('1mb'),
  });

export type ServiceEnv = z.infer<ReturnType<typeof serviceEnv>>;
