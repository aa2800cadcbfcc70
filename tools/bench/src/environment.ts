import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase, OWNER_ROLE, roleUrl, type Database } from '@atelier/platform';
import { prepareDatabase, startPlatform, type Platform } from '@atelier/tool-dev';
import { BENCH_INTERNAL_SECRET, type BenchConfig } from './config.js';

export interface BenchEnvironment {
  database: string;
  platform: Platform;
  gatewayUrl: string;
  crmUrl: string;
  /** The owner role (BYPASSRLS) on the bench database: seeding and reading results. */
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
  const stop = async () => {
    await owner?.close().catch(() => {});
    await platform?.stop().catch((err: Error) => log(`stopping the platform failed: ${err.message}`));
    await dropDatabase(config.DATABASE_ADMIN_URL, database).catch((err: Error) => log(`dropping ${database} failed: ${err.message}`));
  };
  try {
    log(`preparing database ${database}`);
    await prepareDatabase(config.DATABASE_ADMIN_URL, database);
    log('starting the platform');
    platform = await startPlatform({
      adminUrl: config.DATABASE_ADMIN_URL,
      database,
      amqpUrl: config.AMQP_URL,
      namespace: `bench${suffix}.`,
      gatewayPort: 0,
      servicePorts: 'free',
      logLevel: 'warn',
      extraEnv: { INTERNAL_TOKEN_SECRET: BENCH_INTERNAL_SECRET },
      log: (line) => log(line),
    });
    owner = createDatabase(roleUrl(config.DATABASE_ADMIN_URL, OWNER_ROLE, database), { max: config.BENCH_SEED_PARALLEL + 1, applicationName: 'bench' });
    const gateway = platform.services.gateway;
    const crm = platform.services.crm;
    if (!gateway || !crm) throw new Error('the platform has no gateway or crm service');
    return { database, platform, gatewayUrl: gateway.url, crmUrl: crm.url, owner, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
