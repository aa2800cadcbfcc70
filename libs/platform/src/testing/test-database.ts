import { randomBytes } from 'node:crypto';
import { bootstrapDatabase, dropDatabase } from '../db/bootstrap.js';
import { migrateService } from '../db/migrate.js';
import { databaseUrl, roleUrl, schemaOwnerRole, serviceRole, type ServiceName } from '../db/roles.js';

export const TEST_ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface TestDatabase {
  name: string;
  /** The superuser on this database: sees every schema and bypasses row-level security, for setting up and inspecting tests. */
  ownerUrl: string;
  /** The same superuser URL (kept for tests that name it so). */
  adminUrl: string;
  /** The service's login role (DML on its schema, under row-level security). */
  urlFor(service: ServiceName): string;
  /** The owner role of the service's schema, which runs its migrations. */
  schemaOwnerUrlFor(service: ServiceName): string;
  drop(): Promise<void>;
}

/** A throwaway database, bootstrapped and migrated for the given services. */
export async function createTestDatabase(migrations: Partial<Record<ServiceName, string>>): Promise<TestDatabase> {
  const name = `atelier_t_${randomBytes(5).toString('hex')}`;
  await bootstrapDatabase(TEST_ADMIN_URL, name);
  const schemaOwnerUrlFor = (service: ServiceName) => roleUrl(TEST_ADMIN_URL, schemaOwnerRole(service), name);
  for (const [service, folder] of Object.entries(migrations) as [ServiceName, string][]) {
    await migrateService(schemaOwnerUrlFor(service), service, folder);
  }
  const adminUrl = databaseUrl(TEST_ADMIN_URL, name);
  return {
    name,
    ownerUrl: adminUrl,
    adminUrl,
    urlFor: (service) => roleUrl(TEST_ADMIN_URL, serviceRole(service), name),
    schemaOwnerUrlFor,
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
    DATABASE_OWNER_URL: db.schemaOwnerUrlFor(service),
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
/**
 * A private bus namespace: `t` + the run's 4 hex digits (set by the global setup, so its teardown can
 * remove every namespace of the run, with the queues a harness forgot) + 4 random ones.
 */
export const testNamespace = () => `t${testRunPrefix()}${randomBytes(2).toString('hex')}.`;

/** The 4 hex digits shared by every namespace of one test run. */
export const testRunPrefix = () => {
  process.env.ATELIER_TEST_RUN ??= randomBytes(2).toString('hex');
  return process.env.ATELIER_TEST_RUN;
};
