import { randomBytes } from 'node:crypto';
import { bootstrapDatabase, dropDatabase } from '../db/bootstrap.js';
import { migrateService } from '../db/migrate.js';
import { OWNER_ROLE, roleUrl, serviceRole, type ServiceName } from '../db/roles.js';

export const TEST_ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  adminUrl: string;
  urlFor(service: ServiceName): string;
  drop(): Promise<void>;
}

/** A throwaway database, bootstrapped and migrated for the given services. */
export async function createTestDatabase(migrations: Partial<Record<ServiceName, string>>): Promise<TestDatabase> {
  const name = `atelier_t_${randomBytes(5).toString('hex')}`;
  await bootstrapDatabase(TEST_ADMIN_URL, name);
  const ownerUrl = roleUrl(TEST_ADMIN_URL, OWNER_ROLE, name);
  for (const [service, folder] of Object.entries(migrations) as [ServiceName, string][]) {
    await migrateService(ownerUrl, service, folder);
  }
  const admin = new URL(TEST_ADMIN_URL);
  admin.pathname = `/${name}`;
  return {
    name,
    ownerUrl,
    adminUrl: admin.toString(),
    urlFor: (service) => roleUrl(TEST_ADMIN_URL, serviceRole(service), name),
    drop: () => dropDatabase(TEST_ADMIN_URL, name),
  };
}

/** Environment for a service under test: its own database role, a private bus namespace, quiet logs. */
export function testEnv(service: ServiceName, db: TestDatabase, namespace: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: db.urlFor(service),
    DATABASE_OWNER_URL: db.ownerUrl,
    AMQP_URL: TEST_AMQP_URL,
    AMQP_NAMESPACE: namespace,
    INTERNAL_TOKEN_SECRET: TEST_INTERNAL_SECRET,
    // Back-off short enough for a test to watch an event reach the dead-letter queue.
    BUS_RETRY_DELAYS_MS: TEST_RETRY_DELAYS_MS.join(','),
    ...extra,
  };
}

export const TEST_RETRY_DELAYS_MS = [50, 100, 150, 200];
export const TEST_INTERNAL_SECRET = 'test-internal-token-secret-0123456789abcdef';
export const testNamespace = () => `t${randomBytes(4).toString('hex')}.`;
