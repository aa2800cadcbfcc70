import { z } from 'zod';
import { blobConfigProblems, blobEnv, type BlobConfig } from '../blobs/blob-config.js';
import { mailEnv } from '../mail/mail-config.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` with the app's schema and fails fast, naming every bad variable at once. With
 * NODE_ENV=production it also refuses the built-in development secrets (see `productionProblems`).
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const problems = productionProblems(result.data as Record<string, unknown>, env);
  if ('BLOB_STORE' in (result.data as object)) problems.push(...blobConfigProblems(result.data as unknown as BlobConfig));
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data;
}

export const DEV_INTERNAL_TOKEN_SECRET = 'dev-only-internal-token-secret-change-me';

/** A connection URL whose password is the development one: the user's own name, or guest/guest. */
const hasDevPassword = (value: string): boolean => {
  try {
    const url = new URL(value);
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    return password === user || password === '' || (user === 'guest' && password === 'guest');
  } catch {
    return false;
  }
};

/**
 * What a production deployment must not run with: the secrets every checkout knows. Checks the
 * variables the app's schema has; DATABASE_OWNER_URL only where it is set (services carry a
 * default but only migrations use it).
 */
export function productionProblems(config: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): string[] {
  if ((config.NODE_ENV ?? env.NODE_ENV) !== 'production') return [];
  const problems: string[] = [];
  if (config.INTERNAL_TOKEN_SECRET === DEV_INTERNAL_TOKEN_SECRET) {
    problems.push('INTERNAL_TOKEN_SECRET: is the built-in development secret; set a random secret of at least 32 characters, the same for the gateway and every service');
  }
  for (const name of ['DATABASE_URL', 'DATABASE_OWNER_URL', 'AMQP_URL']) {
    if (name === 'DATABASE_OWNER_URL' && env.DATABASE_OWNER_URL === undefined) continue;
    const value = config[name];
    if (typeof value === 'string' && hasDevPassword(value)) {
      problems.push(`${name}: uses the development password (the user's own name, none, or guest/guest); set ${name} with the role's real password`);
    }
  }
  return problems;
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
    DATABASE_OWNER_URL: z.url().default(`postgres://atelier_${name}_owner:atelier_${name}_owner@127.0.0.1:5432/atelier`),
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
    /**
     * Connections of the consumers' own pool. Consumer transactions never take the request pool's
     * connections, so a burst of events cannot starve HTTP requests; batches queue on these instead.
     */
    BUS_CONSUMER_POOL_SIZE: z.coerce.number().int().min(1).max(20).default(2),
    /** How long a publisher (relay, retry) waits for the broker's confirms before publishing again. */
    BUS_CONFIRM_TIMEOUT_MS: z.coerce.number().int().min(10).default(10_000),
    /** Safety-net poll of the outbox relay; NOTIFY wakes it at once in the normal case. */
    OUTBOX_POLL_MS: z.coerce.number().int().min(100).default(2_000),
    /** Jobs one process runs at once, and how often its runner looks for due jobs. */
    JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    JOBS_POLL_MS: z.coerce.number().int().min(10).default(1_000),
    /** How long a job's claim holds without a heartbeat: how soon the job of a crashed process is taken over. */
    JOBS_LEASE_MS: z.coerce.number().int().min(500).default(30_000),
    /** Housekeeping (`kit.prune`): how long published outbox rows, inbox rows and finished jobs are kept. */
    OUTBOX_RETENTION_HOURS: z.coerce.number().positive().default(72),
    INBOX_RETENTION_HOURS: z.coerce.number().positive().default(720),
    JOB_RETENTION_HOURS: z.coerce.number().positive().default(168),
    FAILED_JOB_RETENTION_HOURS: z.coerce.number().positive().default(720),
    INTERNAL_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_INTERNAL_TOKEN_SECRET),
    BODY_LIMIT: z.string().default('1mb'),
    ...mailEnv,
    ...blobEnv,
  });

export type ServiceEnv = z.infer<ReturnType<typeof serviceEnv>>;
