import { randomBytes } from 'node:crypto';
import { createDatabase, databaseUrl, dropDatabase, type Database } from '@atelier/platform';
import { spawnService, type ChildService } from '@atelier/platform/testing';
import { buildWebIfStale, prepareDatabase, startPlatform, type Platform } from '@atelier/tool-dev';
import { BENCH_INTERNAL_SECRET, PAYMENT_SCENARIOS, type BenchConfig } from './config.js';

/** The Stripe emulator's key and webhook secret the bench gives payments-service; never a real account's. */
export const BENCH_STRIPE_SECRET_KEY = 'sk_test_atelier_bench';
export const BENCH_STRIPE_WEBHOOK_SECRET = 'whsec_atelier_bench_webhook_secret';

export interface BenchEnvironment {
  database: string;
  platform: Platform;
  gatewayUrl: string;
  crmUrl: string;
  /**
   * The Stripe emulator payments-service talks to, in a process of its own (not the load
   * generator's event loop; its CPU is sampled apart); null when no payment scenario runs.
   */
  stripe: ChildService | null;
  /** The admin (superuser) on the bench database: seeding every schema and reading results. */
  owner: Database;
  stop(): Promise<void>;
}

export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/**
 * A throwaway database and bus namespace with the whole platform on free ports. `stop()` undoes
 * everything; so does a failure half-way through starting.
 */
export async function startEnvironment(config: BenchConfig): Promise<BenchEnvironment> {
  const suffix = randomBytes(4).toString('hex');
  const database = `atelier_bench_${suffix}`;
  let platform: Platform | null = null;
  let owner: Database | null = null;
  let stripe: ChildService | null = null;
  const stop = async () => {
    await owner?.close().catch(() => {});
    await platform?.stop().catch((err: Error) => log(`stopping the platform failed: ${err.message}`));
    await stripe?.stop().catch((err: Error) => log(`stopping the Stripe emulator failed: ${err.message}`));
    await dropDatabase(config.DATABASE_ADMIN_URL, database).catch((err: Error) => log(`dropping ${database} failed: ${err.message}`));
  };
  try {
    log(`preparing database ${database}`);
    await prepareDatabase(config.DATABASE_ADMIN_URL, database);
    // BENCH_LOG_STATEMENTS=1: every statement of this database goes to the server's log with its
    // duration (no parameter values), and the plan of any over 150 ms: where a scenario's time goes.
    if (config.BENCH_LOG_STATEMENTS) {
      const admin = createDatabase(config.DATABASE_ADMIN_URL, { max: 1, applicationName: 'bench' });
      await admin.sql.unsafe(`alter database "${database}" set log_min_duration_statement = 0`);
      await admin.sql.unsafe(`alter database "${database}" set log_parameter_max_length = 0`);
      await admin.sql.unsafe(`alter database "${database}" set session_preload_libraries = 'auto_explain'`);
      await admin.sql.unsafe(`alter database "${database}" set auto_explain.log_min_duration = 150`);
      await admin.close();
    }
    // The gateway serves the build it finds at start.
    if (config.BENCH_SCENARIOS.has('web')) await buildWebIfStale(log);
    // No webhook endpoint: the payment scenarios deliver the emulator's events themselves, to time each.
    if ([...config.BENCH_SCENARIOS].some((s) => PAYMENT_SCENARIOS.has(s))) {
      stripe = await spawnService('stripe-emulator', 'tools/stripe-emulator/src/main.ts', { PORT: '0', STRIPE_SECRET_KEY: BENCH_STRIPE_SECRET_KEY, LOG_LEVEL: 'warn' });
      log(`Stripe emulator ready at ${stripe.url}`);
    }
    log('starting the platform');
    platform = await startPlatform({
      adminUrl: config.DATABASE_ADMIN_URL,
      database,
      amqpUrl: config.AMQP_URL,
      namespace: `bench${suffix}.`,
      gatewayPort: 0,
      servicePorts: 'free',
      logLevel: 'warn',
      // The load generator drives one session far past a person's request budget (RATE_LIMIT_API).
      extraEnv: {
        INTERNAL_TOKEN_SECRET: BENCH_INTERNAL_SECRET,
        RATE_LIMIT_API: '100000000/60',
        RATE_LIMIT_SIGNUP_IP: '100000/3600',
        ...(stripe ? { STRIPE_API_BASE: stripe.url, STRIPE_SECRET_KEY: BENCH_STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: BENCH_STRIPE_WEBHOOK_SECRET } : {}),
      },
      log: (line) => log(line),
    });
    owner = createDatabase(databaseUrl(config.DATABASE_ADMIN_URL, database), { max: config.BENCH_SEED_PARALLEL + 1, applicationName: 'bench' });
    const gateway = platform.services.gateway;
    const crm = platform.services.crm;
    if (!gateway || !crm) throw new Error('the platform has no gateway or crm service');
    return { database, platform, gatewayUrl: gateway.url, crmUrl: crm.url, stripe, owner, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
