import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type ConsumerSpec, type Service } from '@atelier/platform';
import {
  createTestDatabase,
  newPrincipal,
  publishEnvelopes,
  serviceClient,
  stopTestService,
  testEnv,
  testNamespace,
  waitFor,
  type TestDatabase,
} from '@atelier/platform/testing';
import { loadCrmConfig, type CrmConfig } from '../src/config.js';
import { clientEvent, ownerSql } from './bus-helpers.js';
import { crmMigrations } from './crm-harness.js';

/**
 * A burst of events cannot take the connections HTTP requests need: consumers run on a pool of
 * their own. The consumer here holds every transaction open until the test lets it go, so a burst
 * occupies all the connections it can get; a request that needs the database still answers, and
 * the consumers never hold more connections than their pool. Nothing depends on speed: with one
 * shared pool the requests would wait for the gate, and the test would time out.
 */
/** More than one delivery group (200), so that several transactions run at once. */
const AGENCIES = 450;
const REQUEST_POOL = 3;
const CONSUMER_POOL = 2;

let db: TestDatabase;
let service: Service<CrmConfig>;
let url: string;
let owner: ReturnType<typeof ownerSql>;
/** A superuser: it sees every role's sessions in pg_stat_activity. */
let admin: ReturnType<typeof postgres>;

let openGate: () => void = () => {};
const gate = new Promise<void>((resolve) => (openGate = resolve));
let entered = 0;

const gatedConsumer: ConsumerSpec = {
  queue: 'crm.pool-probe',
  bindings: ['crm.client.#'],
  async handle() {
    entered++;
    await gate;
  },
};

beforeAll(async () => {
  db = await createTestDatabase({ crm: crmMigrations });
  owner = ownerSql(db);
  admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
  const config = loadCrmConfig(testEnv('crm', db, testNamespace(), { DATABASE_POOL_SIZE: String(REQUEST_POOL), BUS_CONSUMER_POOL_SIZE: String(CONSUMER_POOL) }));
  service = createService('crm', config, ({ database }) => ({
    routes: (app) =>
      app.get('/probe', async (_req, res) => {
        const [row] = await database.sql<{ answer: number }[]>`select 42 as answer`;
        res.json(row);
      }),
    consumers: [gatedConsumer],
  }));
  url = (await service.start()).url;
  await waitFor(() => service.consumers[0]?.consuming);
});

afterAll(async () => {
  openGate();
  if (service) await stopTestService(service);
  await owner?.end();
  await admin?.end();
  await db?.drop();
});

describe('consumer burst and the request pool', () => {
  it('answers requests that need the database while a burst holds every consumer connection', async () => {
    // One event per agency, in several groups of one transaction each, all held at the gate.
    const events = Array.from({ length: AGENCIES }, () => clientEvent(randomUUID(), randomUUID()));
    await publishEnvelopes(service.ctx.bus, events);
    await waitFor(() => entered >= 1);
    const consumerSessions = async () => {
      const [r] = await admin<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where datname = ${db.name} and application_name = 'crm-consumers' and state = 'idle in transaction'`;
      return r!.n;
    };
    await waitFor(async () => (await consumerSessions()) === CONSUMER_POOL);

    const applied = async () => {
      const [r] = await owner<{ n: number }[]>`select count(*)::int as n from crm.inbox where consumer = 'crm.pool-probe'`;
      return r!.n;
    };
    const api = serviceClient(url, newPrincipal('owner'));
    for (let i = 0; i < REQUEST_POOL * 3; i++) {
      const res = await api('GET', '/probe');
      expect(res).toMatchObject({ status: 200, body: { answer: 42 } });
    }
    // Answered while the burst was still held: nothing of it has committed.
    expect(await applied()).toBe(0);
    expect(await consumerSessions()).toBeLessThanOrEqual(CONSUMER_POOL);

    openGate();
    await waitFor(async () => (await applied()) === events.length, 30_000);
    const rows = await owner<{ eventId: string }[]>`select event_id as "eventId" from crm.inbox where consumer = 'crm.pool-probe'`;
    expect(rows.map((r) => r.eventId).sort()).toEqual(events.map((e) => e.id).sort());
  });
});
