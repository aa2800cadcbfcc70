import postgres from 'postgres';
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
 * A broker that goes silent without closing the socket never sends the confirms the relay waits
 * for. The relay gives up after BUS_CONFIRM_TIMEOUT_MS, rolls its claim back (the rows stay in the
 * outbox, unlocked) and publishes again later; the consumer's inbox absorbs what reached the broker twice.
 */
const N = 20;

let db: TestDatabase;
let proxy: TcpProxy;
let service: Service<CrmConfig>;
let url: string;
let owner: ReturnType<typeof ownerSql>;
/** A superuser: only it sees other roles' session states in pg_stat_activity. */
let admin: ReturnType<typeof postgres>;

beforeAll(async () => {
  const broker = new URL(TEST_AMQP_URL);
  proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
  db = await createTestDatabase({ crm: crmMigrations });
  owner = ownerSql(db);
  admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
  ({ service, url } = await startCrmWith(db, { AMQP_URL: proxy.urlThrough(TEST_AMQP_URL), BUS_CONFIRM_TIMEOUT_MS: '300', OUTBOX_POLL_MS: '200' }));
  await waitFor(() => service.consumers[0]?.consuming);
});

afterAll(async () => {
  proxy?.release();
  if (service) await stopTestService(service);
  await proxy?.close();
  await owner?.end();
  await admin?.end();
  await db?.drop();
});

describe('publisher confirms that never come', () => {
  it('times the wait out, keeps the rows, and delivers every event once when the broker speaks again', async () => {
    const who = newPrincipal('owner');
    const api = serviceClient(url, who);
    proxy.hold();
    const created = await Promise.all(Array.from({ length: N }, (_, i) => api('POST', '/api/clients', { name: `Silent broker client ${i}` })));
    expect(created.map((r) => r.status)).toEqual(Array(N).fill(201));

    // The relay has tried (its claim transaction opened), and then let go of its transaction:
    // a wait without a timeout would keep it open, the rows locked, for as long as the silence lasts.
    const relaySessions = () => admin<{ state: string; xact: Date | null }[]>`
      select state, xact_start as xact from pg_stat_activity where datname = ${db.name} and application_name = 'crm-relay'`;
    const held = await waitFor(async () => (await relaySessions()).find((s) => s.state === 'idle in transaction')?.xact ?? undefined);
    // That transaction ends: no relay session is still in the one seen waiting (a later attempt may be).
    await waitFor(async () => (await relaySessions()).every((s) => s.xact?.getTime() !== held.getTime()));
    const [pending] = await owner<{ n: number }[]>`select count(*)::int as n from crm.outbox where agency_id = ${who.agencyId} and published_at is null`;
    expect(pending?.n).toBe(N);

    proxy.release();
    await waitFor(async () => {
      const [r] = await owner<{ n: number }[]>`select count(*)::int as n from crm.outbox where agency_id = ${who.agencyId} and published_at is null`;
      return r?.n === 0;
    }, 20_000);
    await waitFor(async () => (await api('GET', '/api/timeline?limit=1')).body.total === N, 20_000);
    const entries = await owner<{ eventId: string }[]>`select event_id as "eventId" from crm.timeline_entries where agency_id = ${who.agencyId}`;
    expect(new Set(entries.map((e) => e.eventId)).size).toBe(N);
    expect(entries).toHaveLength(N);
  });
});
