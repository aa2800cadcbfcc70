import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '@atelier/platform';
import {
  createTestDatabase,
  newPrincipal,
  serviceClient,
  startTcpProxy,
  stopTestService,
  TEST_AMQP_URL,
  waitFor,
  type TcpProxy,
  type TestDatabase,
} from '@atelier/platform/testing';
import type { CrmConfig } from '../src/config.js';
import { crmMigrations } from './crm-harness.js';
import { ownerSql, startCrmWith } from './bus-helpers.js';

/**
 * A committed change is never lost even while RabbitMQ is unreachable: crm talks to the broker
 * through a TCP proxy that the test cuts and restores on the same port.
 */
const N = 50;

let db: TestDatabase;
let proxy: TcpProxy;
let service: Service<CrmConfig>;
let url: string;
let owner: ReturnType<typeof ownerSql>;

beforeAll(async () => {
  const broker = new URL(TEST_AMQP_URL);
  proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
  db = await createTestDatabase({ crm: crmMigrations });
  owner = ownerSql(db);
  ({ service, url } = await startCrmWith(db, { AMQP_URL: proxy.urlThrough(TEST_AMQP_URL) }));
  await waitFor(() => service.ctx.bus.connected);
});

afterAll(async () => {
  await proxy?.restore(); // so that the namespaced queues and exchange can be deleted
  if (service) {
    await waitFor(() => service.ctx.bus.connected, 15_000).catch(() => {});
    await stopTestService(service);
  }
  await proxy?.close();
  await owner?.end();
  await db?.drop();
});

describe('outbox while the broker is unreachable', () => {
  it(`commits ${N} changes during an outage and delivers every one of them once the broker is back`, async () => {
    const who = newPrincipal('owner');
    const api = serviceClient(url, who);

    // Cut the broker off and wait until crm has noticed, so that nothing can be published meanwhile.
    await proxy.cut();
    await waitFor(() => !service.ctx.bus.connected);
    expect(proxy.connections).toBe(0);

    const created = await Promise.all(Array.from({ length: N }, (_, i) => api('POST', '/api/clients', { name: `Outage client ${i}` })));
    expect(created.map((r) => r.status)).toEqual(Array(N).fill(201));
    const ids = new Set(created.map((r) => r.body.id as string));
    expect(ids.size).toBe(N);

    // Every event is committed with its change, and none has been published.
    const pending = await owner<{ id: string; clientId: string; publishedAt: Date | null }[]>`
      select id, envelope->'payload'->'client'->>'id' as "clientId", published_at as "publishedAt"
      from crm.outbox where agency_id = ${who.agencyId}`;
    expect(pending).toHaveLength(N);
    expect(pending.every((r) => r.publishedAt === null)).toBe(true);
    expect(new Set(pending.map((r) => r.clientId))).toEqual(ids);
    expect(service.ctx.bus.connected).toBe(false); // still down: the rows above were checked during the outage
    expect((await api('GET', '/api/timeline?limit=1')).body.total).toBe(0);

    // The broker comes back on the same address: the relay catches up and the timeline fills in.
    await proxy.restore();
    await waitFor(async () => (await api('GET', '/api/timeline?limit=1')).body.total === N, 20_000);
    await waitFor(async () => {
      const [r] = await owner<{ n: number }[]>`select count(*)::int as n from crm.outbox where agency_id = ${who.agencyId} and published_at is null`;
      return r?.n === 0;
    });
    await service.relay?.flush();

    // Zero lost, zero doubled: one timeline entry and one inbox row per event.
    const timeline = await owner<{ clientId: string; eventId: string; type: string }[]>`
      select client_id as "clientId", event_id as "eventId", type from crm.timeline_entries where agency_id = ${who.agencyId}`;
    expect(timeline).toHaveLength(N);
    expect(new Set(timeline.map((t) => t.clientId))).toEqual(ids);
    expect(new Set(timeline.map((t) => t.eventId))).toEqual(new Set(pending.map((p) => p.id)));
    expect(timeline.every((t) => t.type === 'crm.client.created.v1')).toBe(true);
    const [inbox] = await owner<{ n: number }[]>`select count(*)::int as n from crm.inbox where agency_id = ${who.agencyId}`;
    expect(inbox?.n).toBe(N);
    const published = await owner<{ n: number }[]>`select count(*)::int as n from crm.outbox where agency_id = ${who.agencyId} and published_at is not null`;
    expect(published[0]?.n).toBe(N);
  });
});
