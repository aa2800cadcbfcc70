import { fileURLToPath } from 'node:url';
import { createTestDatabase, testEnv, testNamespace, type TestDatabase } from '@atelier/platform/testing';
import type { JobRunnerOptions, Service } from '@atelier/platform';
import { loadBillingConfig, type BillingConfig } from '../src/config.js';
import { buildBillingService } from '../src/billing-service.js';

export const billingMigrations = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface BillingHarness {
  db: TestDatabase;
  service: Service<BillingConfig>;
  url: string;
  namespace: string;
}

export async function startBilling(options: { db?: TestDatabase; namespace?: string; env?: Record<string, string>; jobRunner?: Partial<JobRunnerOptions>; blobs?: { graceMs?: number } } = {}): Promise<BillingHarness> {
  const db = options.db ?? (await createTestDatabase({ billing: billingMigrations }));
  const namespace = options.namespace ?? testNamespace();
  const service = buildBillingService(loadBillingConfig(testEnv('billing', db, namespace, options.env)), { jobRunner: options.jobRunner, blobs: options.blobs });
  const server = await service.start();
  return { db, service, url: server.url, namespace };
}
