import { randomUUID } from 'node:crypto';
import type { GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BusConnection,
  Consumer,
  createDatabase,
  createLogger,
  deadLetterQueueName,
  retryQueueName,
  type ConsumerSpec,
  type Database,
} from '@atelier/platform';
import { createTestDatabase, publishEnvelopes, queueDepth, TEST_AMQP_URL, testNamespace, waitFor, type TestDatabase } from '@atelier/platform/testing';
import { timelineEntries } from '../src/db/schema.js';
import { clientEvent, FAST_RETRIES, ownerSql } from './bus-helpers.js';
import { crmMigrations } from './crm-harness.js';

/**
 * A consumer whose handler always fails for one event: that event is tried 1 + retries times with
 * back-off, then parked in the dead-letter queue, while the events around it are applied normally.
 */
const QUEUE = 'crm.dlq-probe';
const GOOD = 10;

let db: TestDatabase;
let owner: ReturnType<typeof ownerSql>;
let database: Database;
let bus: BusConnection;
let consumer: Consumer;

const poisonId = randomUUID();
const attempts = new Map<string, number>(); // event id -> handler calls
const applied = new Set<string>();

const spec: ConsumerSpec = {
  queue: QUEUE,
  bindings: ['crm.client.#'],
  retryDelaysMs: FAST_RETRIES,
  async handle(event, tx) {
    attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
    if (event.id === poisonId) throw new Error('poisoned event');
    const clientId = (event.payload as { client: { id: string } }).client.id;
    await tx.insert(timelineEntries).values({
      agencyId: event.agencyId,
      clientId,
      eventId: event.id,
      type: event.name,
      title: 'probe',
      occurredAt: new Date(event.occurredAt),
      entityKind: 'client',
      entityId: clientId,
    });
    applied.add(event.id);
  },
};

beforeAll(async () => {
  db = await createTestDatabase({ crm: crmMigrations });
  owner = ownerSql(db);
  const logger = createLogger('crm', process.env.TEST_LOG_LEVEL ?? 'silent');
  database = createDatabase(db.urlFor('crm'), { max: 5 });
  bus = new BusConnection(TEST_AMQP_URL, logger, testNamespace());
  await bus.start();
  expect(bus.connected).toBe(true);
  consumer = new Consumer(bus, database.db, { schema: 'crm' }, spec, logger);
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  const conn = bus?.connection;
  if (conn) await consumer.deleteQueues(conn).catch(() => {});
  await bus?.deleteExchange().catch(() => {});
  await bus?.close();
  await database?.close();
  await owner?.end();
  await db?.drop();
});

const getOne = async (queue: string): Promise<GetMessage> => {
  const ch = await bus.connection!.createChannel();
  try {
    const msg = await ch.get(queue, { noAck: true });
    if (!msg) throw new Error(`${queue} is empty`);
    return msg;
  } finally {
    await ch.close();
  }
};

describe('retry and dead-lettering', () => {
  const queue = () => bus.queueName(QUEUE);
  const dlq = () => deadLetterQueueName(queue());

  it('dead-letters an always-failing event after 5 attempts while the others are applied', async () => {
    const agencyId = randomUUID();
    const poison = clientEvent(agencyId, randomUUID(), 'crm.client.updated.v1', { id: poisonId });
    const good = Array.from({ length: GOOD }, () => clientEvent(agencyId, randomUUID()));
    await publishEnvelopes(bus, [good[0]!, poison, ...good.slice(1)]);

    await waitFor(async () => (await queueDepth(bus, dlq())) === 1 && applied.size === GOOD, 10_000);

    // Each attempt of the poison event is one call when it is alone and two when it arrived with
    // others (the group's all-at-once try, then its own savepoint); either way 5 attempts in all.
    expect(attempts.get(poisonId)).toBeGreaterThanOrEqual(FAST_RETRIES.length + 1);
    expect(attempts.get(poisonId)).toBeLessThanOrEqual(FAST_RETRIES.length + 2);
    // A good event that shared a group with it was tried once more in the rolled-back try.
    for (const e of good) expect(attempts.get(e.id)).toBeLessThanOrEqual(2);

    // Nothing left anywhere else: the main queue and every retry queue are empty.
    expect(await queueDepth(bus, queue())).toBe(0);
    for (const delay of FAST_RETRIES) expect(await queueDepth(bus, retryQueueName(queue(), delay))).toBe(0);

    // The parked message is the original event, with its attempt count and the last error.
    const parked = await getOne(dlq());
    expect(JSON.parse(parked.content.toString('utf8'))).toMatchObject({ id: poisonId, name: 'crm.client.updated.v1' });
    expect(parked.properties.headers?.['x-attempt']).toBe(5);
    expect(parked.properties.headers?.['x-error']).toBe('poisoned event');
    expect(parked.properties.messageId).toBe(poisonId);

    // The good events committed with their inbox rows; the failed one left no trace (its transactions rolled back).
    const inbox = await owner<{ eventId: string }[]>`select event_id as "eventId" from crm.inbox where consumer = ${QUEUE}`;
    expect(new Set(inbox.map((r) => r.eventId))).toEqual(new Set(good.map((e) => e.id)));
    const [timeline] = await owner<{ n: number; poison: number }[]>`
      select count(*)::int as n, count(*) filter (where event_id = ${poisonId})::int as poison from crm.timeline_entries`;
    expect(timeline).toEqual({ n: GOOD, poison: 0 });
  });

  it('dead-letters a malformed message at once, without calling the handler', async () => {
    const before = attempts.size;
    const ch = await bus.confirmChannel();
    ch.publish(bus.exchangeName, 'crm.client.updated.v1', Buffer.from('{not json'), { persistent: true });
    await ch.waitForConfirms();

    await waitFor(async () => (await queueDepth(bus, dlq())) === 1);
    const parked = await getOne(dlq());
    expect(parked.content.toString('utf8')).toBe('{not json');
    expect(String(parked.properties.headers?.['x-error'])).toMatch(/^malformed message/);
    expect(attempts.size).toBe(before);
  });
});
