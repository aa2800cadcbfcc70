import { randomUUID } from 'node:crypto';
import type { Channel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateClientBody } from '@atelier/contracts';
import { BusConnection, createDatabase, createLogger, OutboxRelay, type Database, type Service } from '@atelier/platform';
import { createTestDatabase, newPrincipal, serviceClient, stopTestService, TEST_AMQP_URL, testNamespace, waitFor, type TestDatabase } from '@atelier/platform/testing';
import { createClient } from '../src/clients/client-service.js';
import type { CrmConfig } from '../src/config.js';
import { crmMigrations } from './crm-harness.js';
import { ownerSql, startCrmWith } from './bus-helpers.js';

/**
 * The relay is woken by the outbox trigger's NOTIFY. Both relays here poll once a minute, so any
 * delivery well inside that can only come from the NOTIFY; the budget is generous on purpose
 * (speed is the benchmark's business, not this test's).
 */
const LATENCY_BUDGET_MS = 10_000;

let db: TestDatabase;
let owner: ReturnType<typeof ownerSql>;

beforeAll(async () => {
  db = await createTestDatabase({ crm: crmMigrations });
  owner = ownerSql(db);
});
afterAll(async () => {
  await owner?.end();
  await db?.drop();
});

describe('outbox relay with a one-minute poll', () => {
  const logger = createLogger('crm', process.env.TEST_LOG_LEVEL ?? 'silent');
  let database: Database;
  let bus: BusConnection;
  let relay: OutboxRelay;
  let probe: Channel;
  const received = new Map<string, number>(); // client id -> arrival time

  beforeAll(async () => {
    database = createDatabase(db.urlFor('crm'), { max: 2 });
    bus = new BusConnection(TEST_AMQP_URL, logger, testNamespace());
    await bus.start();
    expect(bus.connected).toBe(true);
    // A poll this slow cannot explain sub-second delivery; only the NOTIFY can.
    relay = new OutboxRelay({ sql: database.sql, schema: 'crm', bus, logger, pollMs: 60_000 });
    await relay.start();
    probe = await bus.connection!.createChannel();
    const { queue } = await probe.assertQueue(bus.queueName('notify-probe'), { exclusive: true, autoDelete: true });
    await probe.bindQueue(queue, bus.exchangeName, 'crm.#');
    await probe.consume(
      queue,
      (msg) => {
        if (!msg) return;
        const envelope = JSON.parse(msg.content.toString('utf8')) as { payload: { client: { id: string } } };
        received.set(envelope.payload.client.id, Date.now());
      },
      { noAck: true },
    );
  });
  afterAll(async () => {
    await relay?.stop();
    await probe?.close().catch(() => {});
    await bus?.deleteExchange().catch(() => {});
    await bus?.close();
    await database?.close();
  });

  it(`publishes each committed event without waiting for the poll`, async () => {
    const who = newPrincipal('owner');
    for (let i = 0; i < 5; i++) {
      await relay.flush(); // the relay is idle: only a NOTIFY can start the next publish
      const row = await createClient(database.db, who, CreateClientBody.parse({ name: `Notify ${i}` }));
      const committedAt = Date.now();
      const arrivedAt = await waitFor(() => received.get(row.id), LATENCY_BUDGET_MS);
      expect(arrivedAt - committedAt).toBeLessThan(LATENCY_BUDGET_MS);
    }
    const [pending] = await owner<{ n: number }[]>`select count(*)::int as n from crm.outbox where published_at is null`;
    expect(pending?.n).toBe(0);
  });
});

describe('crm end to end', () => {
  let service: Service<CrmConfig>;
  let url: string;
  beforeAll(async () => {
    ({ service, url } = await startCrmWith(db, { OUTBOX_POLL_MS: '60000' }));
  });
  afterAll(async () => {
    if (service) await stopTestService(service);
  });

  it(`puts a new client on the timeline without waiting for the poll, every time`, async () => {
    const api = serviceClient(url, newPrincipal('owner'));
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const created = await api('POST', '/api/clients', { name: `Fast ${i} ${randomUUID().slice(0, 6)}` });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      await waitFor(async () => (await api('GET', `/api/timeline?clientId=${id}`)).body.total === 1, LATENCY_BUDGET_MS, 10);
      expect(Date.now() - started).toBeLessThan(LATENCY_BUDGET_MS);
      // The entry's own record of its latency: consumer transaction start minus the event's occurredAt.
      const [entry] = await owner<{ ms: number }[]>`
        select (extract(epoch from recorded_at - occurred_at) * 1000)::float8 as ms from crm.timeline_entries where client_id = ${id}`;
      expect(entry?.ms).toBeLessThan(LATENCY_BUDGET_MS);
    }
  });
});
