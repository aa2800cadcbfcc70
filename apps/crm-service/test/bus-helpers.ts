import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import type { EventEnvelope } from '@atelier/contracts';
import type { Service } from '@atelier/platform';
import { TEST_RETRY_DELAYS_MS, testEnv, testNamespace, type TestDatabase } from '@atelier/platform/testing';
import { loadCrmConfig, type CrmConfig } from '../src/config.js';
import { buildCrmService } from '../src/crm-service.js';

export const FAST_RETRIES = TEST_RETRY_DELAYS_MS;

/** Starts crm on `db` with extra environment (e.g. an AMQP_URL through a proxy). */
export async function startCrmWith(db: TestDatabase, extra: Record<string, string> = {}, namespace = testNamespace()) {
  const service: Service<CrmConfig> = buildCrmService(loadCrmConfig(testEnv('crm', db, namespace, extra)));
  const server = await service.start();
  return { service, url: server.url, namespace };
}

/**
 * The owner role: it bypasses row-level security, so tests can look at every agency's rows
 * (the outbox, the inbox, the timeline) the way an operator would.
 */
export const ownerSql = (db: TestDatabase) => postgres(db.ownerUrl, { max: 2, onnotice: () => {} });

/** An envelope about a client, as any producer would publish it. */
export function clientEvent(agencyId: string, clientId: string, name = 'crm.client.updated.v1', extra: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    name,
    occurredAt: new Date().toISOString(),
    agencyId,
    actorId: null,
    payload: { clientId, client: { id: clientId, name: `Client ${clientId.slice(0, 8)}` }, version: 1 },
    trace: {},
    ...extra,
  };
}
