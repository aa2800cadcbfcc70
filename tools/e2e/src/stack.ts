import { randomBytes } from 'node:crypto';
import { dropDatabase } from '@atelier/platform';
import { TEST_ADMIN_URL, TEST_AMQP_URL } from '@atelier/platform/testing';
import { buildWebIfStale, prepareDatabase, startPlatform, type Platform } from '@atelier/tool-dev';

export interface E2eStack {
  url: string;
  platform: Platform;
  stop(): Promise<void>;
}

/** The whole platform on a throwaway database and bus namespace, on free ports. */
export async function startE2eStack(): Promise<E2eStack> {
  const database = `atelier_e2e_${randomBytes(4).toString('hex')}`;
  await prepareDatabase(TEST_ADMIN_URL, database);
  await buildWebIfStale();
  const platform = await startPlatform({
    adminUrl: TEST_ADMIN_URL,
    database,
    amqpUrl: TEST_AMQP_URL,
    namespace: `e2e${randomBytes(3).toString('hex')}.`,
    gatewayPort: 0,
    servicePorts: 'free',
    logLevel: 'warn',
    extraEnv: { BUS_RETRY_DELAYS_MS: '100,200,400,800' },
  });
  return {
    url: platform.services.gateway!.url,
    platform,
    async stop() {
      await platform.stop();
      await dropDatabase(TEST_ADMIN_URL, database);
    },
  };
}
