import type { ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryQueueName } from '@atelier/platform';
import { closeBrokerConnection, newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';
import { ownerSql } from './bus-helpers.js';

/**
 * The bus cannot die silently: when the broker closes crm's connection, closes its consumer's
 * channel, or cancels its subscription, the consumer sets itself up again, `/readyz` says so while
 * it cannot, and every event committed meanwhile (through the outbox) arrives exactly once.
 */
const TIMELINE = 'crm.timeline';
const N = 30;
/** What the issue allows from the fault to the events being there again. */
const RECOVERY_MS = 10_000;

let h: CrmHarness;
let owner: ReturnType<typeof ownerSql>;

beforeAll(async () => {
  h = await startCrm();
  owner = ownerSql(h.db);
  await waitFor(() => h.service.consumers[0]?.consuming);
});

afterAll(async () => {
  await owner?.end();
  if (h) {
    await stopTestService(h.service);
    await h.db.drop();
  }
});

const timeline = () => h.service.consumers.find((c) => c.name === TIMELINE)!;

const readiness = async () => {
  const res = await fetch(`${h.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
};

/** Creates `n` clients of one agency through the API; each commits its event to the outbox. */
async function createClients(n: number, label: string) {
  const who = newPrincipal('owner');
  const api = serviceClient(h.url, who);
  const created = await Promise.all(Array.from({ length: n }, (_, i) => api('POST', '/api/clients', { name: `${label} ${i}` })));
  expect(created.map((r) => r.status)).toEqual(Array(n).fill(201));
  return who.agencyId;
}

/** Every event of the agency's outbox has exactly one timeline entry and one inbox row, within the recovery time. */
async function expectEachArrivedOnce(agencyId: string, n: number) {
  await waitFor(async () => {
    const [r] = await owner<{ n: number }[]>`select count(*)::int as n from crm.timeline_entries where agency_id = ${agencyId}`;
    return r!.n >= n;
  }, RECOVERY_MS);
  const outbox = await owner<{ id: string }[]>`select id from crm.outbox where agency_id = ${agencyId}`;
  const entries = await owner<{ eventId: string }[]>`select event_id as "eventId" from crm.timeline_entries where agency_id = ${agencyId}`;
  const inbox = await owner<{ eventId: string }[]>`select event_id as "eventId" from crm.inbox where agency_id = ${agencyId} and consumer = ${TIMELINE}`;
  expect(outbox).toHaveLength(n);
  expect(entries.map((e) => e.eventId).sort()).toEqual(outbox.map((o) => o.id).sort());
  expect(inbox.map((e) => e.eventId).sort()).toEqual(outbox.map((o) => o.id).sort());
}

describe('consumer recovery', () => {
  it('reports every consumer in /readyz', async () => {
    const { status, body } = await readiness();
    expect(status).toBe(200);
    expect(body.checks).toMatchObject({ broker: 'ok', [`consumer:${TIMELINE}`]: 'ok' });
  });

  it('comes back after the broker closes the connection, and loses none of the events committed meanwhile', async () => {
    const bus = h.service.ctx.bus;
    const before = bus.connection;
    await closeBrokerConnection(bus.connectionName);
    // Committed while the connection is down or being rebuilt: they wait in the outbox.
    const agencyId = await createClients(N, 'Connection outage client');
    await expectEachArrivedOnce(agencyId, N);
    expect(bus.connection).not.toBe(before);
    expect(timeline().consuming).toBe(true);
  });

  it('comes back after a channel error closes its channel, and loses none of the events published meanwhile', async () => {
    const channel = timeline().channel!;
    const closed = new Promise((resolve) => channel.once('close', resolve));
    // An ack for a delivery the broker never made is a channel error: the broker closes the channel (406).
    channel.ack({ fields: { deliveryTag: 1_000_000 } } as ConsumeMessage);
    await closed;
    const agencyId = await createClients(N, 'Channel error client');
    await expectEachArrivedOnce(agencyId, N);
    expect(timeline().channel).not.toBe(channel);
  });

  it('is not ready while the broker keeps refusing its subscription, and consumes again once it can', async () => {
    const bus = h.service.ctx.bus;
    const queue = bus.queueName(TIMELINE);
    const retryQueue = retryQueueName(queue, h.service.ctx.config.BUS_RETRY_DELAYS_MS[0]!);
    const admin = await bus.connection!.createChannel();
    try {
      // A retry queue of the wrong type makes every declare fail (406), then the main queue is deleted:
      // the broker cancels the subscription and the consumer cannot set itself up again.
      await admin.deleteQueue(retryQueue);
      await admin.assertQueue(retryQueue, { durable: true });
      await admin.deleteQueue(queue);
      const down = await waitFor(async () => {
        const r = await readiness();
        return r.status === 503 ? r : undefined;
      });
      expect(down.body.checks.broker).toBe('ok');
      expect(down.body.checks[`consumer:${TIMELINE}`]).toMatch(/not consuming/);
      expect(timeline().consuming).toBe(false);

      // The operator removes the wrong queue: the consumer declares its queues again and is ready.
      await admin.deleteQueue(retryQueue);
      await waitFor(async () => (await readiness()).status === 200, RECOVERY_MS);
    } finally {
      await admin.close().catch(() => {});
    }
    // Its queue and bindings are back: events flow again, each once.
    const agencyId = await createClients(N, 'Resubscribed client');
    await expectEachArrivedOnce(agencyId, N);
  });
});
