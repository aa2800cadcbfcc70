import { fileURLToPath } from 'node:url';
import { createTestDatabase, testEnv, testNamespace, type TestDatabase } from '@atelier/platform/testing';
import type { Service } from '@atelier/platform';
import { loadPaymentsConfig, type PaymentsConfig } from '../src/config.js';
import { buildPaymentsService } from '../src/payments-service.js';

export const paymentsMigrations = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface PaymentsHarness {
  db: TestDatabase;
  service: Service<PaymentsConfig>;
  url: string;
  namespace: string;
}

export async function startPayments(options: { db?: TestDatabase; namespace?: string } = {}): Promise<PaymentsHarness> {
  const db = options.db ?? (await createTestDatabase({ payments: paymentsMigrations }));
  const namespace = options.namespace ?? testNamespace();
  const service = buildPaymentsService(loadPaymentsConfig(testEnv('payments', db, namespace)));
  const server = await service.start();
  return { db, service, url: server.url, namespace };
}
