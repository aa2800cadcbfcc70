import { fileURLToPath } from 'node:url';
import { createTestDatabase, testEnv, testNamespace, type TestDatabase } from '@atelier/platform/testing';
import type { Service } from '@atelier/platform';
import { loadCrmConfig, type CrmConfig } from '../src/config.js';
import { buildCrmService } from '../src/crm-service.js';

export const crmMigrations = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface CrmHarness {
  db: TestDatabase;
  service: Service<CrmConfig>;
  url: string;
  namespace: string;
}

export async function startCrm(options: { db?: TestDatabase; namespace?: string } = {}): Promise<CrmHarness> {
  const db = options.db ?? (await createTestDatabase({ crm: crmMigrations }));
  const namespace = options.namespace ?? testNamespace();
  const service = buildCrmService(loadCrmConfig(testEnv('crm', db, namespace)));
  const server = await service.start();
  return { db, service, url: server.url, namespace };
}
