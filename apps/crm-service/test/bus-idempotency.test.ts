import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterQueueName } from '@atelier/platform';
import { publishEnvelopes, queueDepth, stopTestService, waitFor } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';
import { clientEvent, ownerSql } from './bus-helpers.js';

const TIMELINE_QUEUE = 'crm.timeline';

let h: CrmHarness;
let owner: ReturnType<typeof ownerSql>;
beforeAll(async () => {
  h = await startCrm();
  owner = ownerSql(h.db);
});
afterAll(async () => {
  await owner?.end();
  if (h) {
    await stopTestService(h.service);
    await h.db.drop();
  }
});

describe('inbox idempotency', () => {
  it('applies a burst in groups, one transaction and one insert per group, each event once', async () => {
    const bus = h.service.ctx.bus;
    const agencies = [randomUUID(), randomUUID()];
    const events = Array.from({ length: 300 }, (_, i) => clientEvent(agencies[i % 2]!, randomUUID()));
    await publishEnvelopes(bus, events);
    const ids = events.map((e) => e.id);
    const applied = async () => {
      const [r] = await owner<{ n: number }[]>`select count(*)::int as n from crm.timeline_entries where event_id = any(${ids}::uuid[])`;
      return r!.n;
    };
    await waitFor(async () => ((await applied()) === events.length ? true : undefined));

    const rows = await owner<{ eventId: string; agencyId: string; processedAt: Date }[]>`
      select event_id as "eventId", agency_id as "agencyId", processed_at as "processedAt" from crm.inbox where event_id = any(${ids}::uuid[])`;
    expect(rows).toHaveLength(events.length);
    for (const e of events) expect(rows.find((r) => r.eventId === e.id)?.agencyId).toBe(e.agencyId);
    // Inbox rows of one transaction share its timestamp: far fewer transactions than events.
    const transactions = new Set(rows.map((r) => `${r.agencyId}@${r.processedAt.toISOString()}`));
    expect(transactions.size).toBeLessThan(events.length / 2);
  });

  it('applies an event published 20 times (same envelope id) exactly once', async () => {
    const bus = h.service.ctx.bus;
    const queue = bus.queueName(TIMELINE_QUEUE);
    const agencyId = randomUUID();
    const event = clientEvent(agencyId, randomUUID());
    const counts = async () => {
      const [r] = await owner<{ timeline: number; inbox: number }[]>`
        select (select count(*)::int from crm.timeline_entries where event_id = ${event.id}) as timeline,
               (select count(*)::int from crm.inbox where event_id = ${event.id}) as inbox`;
      return r!;
    };

    // 15 copies at once (competing for the same inbox row), then 5 late redeliveries after it is applied.
    await publishEnvelopes(bus, [event], 15);
    await waitFor(async () => (await counts()).timeline === 1 && (await queueDepth(bus, queue)) === 0);
    await publishEnvelopes(bus, [event], 5);
    await waitFor(async () => (await queueDepth(bus, queue)) === 0);

    // Stopping the consumer waits for every delivered message to settle, so the counts below are final.
    const consumer = h.service.consumers[0]!;
    await consumer.stop();

    expect(await counts()).toEqual({ timeline: 1, inbox: 1 });
    const [inbox] = await owner<{ consumer: string; agencyId: string }[]>`
      select consumer, agency_id as "agencyId" from crm.inbox where event_id = ${event.id}`;
    expect(inbox).toEqual({ consumer: TIMELINE_QUEUE, agencyId });
    // Every copy was acked as a no-op: nothing went back to the queue, to a retry queue or to the dead-letter queue.
    expect(await queueDepth(bus, queue)).toBe(0);
    expect(await queueDepth(bus, deadLetterQueueName(queue))).toBe(0);
  });
});
