import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@atelier/contracts';
import { and, eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusConnection } from '../bus/connection.js';
import { deadLetterQueueName } from '../bus/consumer.js';
import { tenantTx, type Db, type inboxTable, type Tx } from '../db/index.js';
import { publishEnvelopes, queueDepth } from './bus.js';
import { waitFor } from './wait-for.js';

/** What a replica holds for one entity, reduced to what the suite compares. */
export interface HeldSnapshot {
  /** A field that differs between the suite's snapshots (a name, say). */
  marker: string;
  version: number;
  deleted: boolean;
}

/** One entity's state for an event the suite builds: `marker` goes into a field the replica keeps. */
export interface SuiteSnapshot {
  id: string;
  version: number;
  marker: string;
}

export interface ReplicaSuiteOptions {
  /** The started service's bus and database (called inside the tests, after the harness started). */
  context: () => { bus: BusConnection; db: Db };
  queue: string;
  inbox: ReturnType<typeof inboxTable>;
  /** An event carrying the live snapshot (`created` for version 1, `updated` after). */
  live: (agencyId: string, snapshot: SuiteSnapshot, kind: 'created' | 'updated') => EventEnvelope;
  /** The event that deletes the entity at that version. */
  deleted: (agencyId: string, snapshot: SuiteSnapshot) => EventEnvelope;
  /** An event carrying many snapshots at once (events.md › Bulk work), if the replica receives one. */
  bulk?: (agencyId: string, snapshots: SuiteSnapshot[]) => EventEnvelope;
  /** An event of a listed name whose payload breaks the contract. */
  malformed: (agencyId: string, id: string) => EventEnvelope;
  /** What the replica holds for the entity, read in the agency's transaction; undefined when nothing. */
  read: (tx: Tx, id: string) => Promise<HeldSnapshot | undefined>;
  /** Every id the agency's transaction can see in the replica table. */
  ids: (tx: Tx) => Promise<string[]>;
}

/**
 * The one test suite every replica consumer runs (events.md › Snapshots with versions): newer
 * versions replace, older ones and duplicates change nothing, deletes are versioned tombstones,
 * any arrival order converges, bulk events apply like single ones, bad payloads dead-letter,
 * and agencies never meet.
 */
export function replicaConsumerSuite(title: string, o: ReplicaSuiteOptions): void {
  const bus = () => o.context().bus;
  const db = () => o.context().db;
  const held = (agencyId: string, id: string) => tenantTx(db(), agencyId, (tx) => o.read(tx, id));
  const processed = async (events: EventEnvelope[]) => {
    const agencyId = events[0]!.agencyId;
    const ids = [...new Set(events.map((e) => e.id))];
    const rows = await tenantTx(db(), agencyId, (tx) =>
      tx
        .select({ id: o.inbox.eventId })
        .from(o.inbox)
        .where(and(eq(o.inbox.consumer, o.queue), inArray(o.inbox.eventId, ids))),
    );
    return rows.length === ids.length;
  };
  /** Publishes (each `times` times) and waits until every event's inbox row is committed. */
  const deliver = async (events: EventEnvelope[], times = 1) => {
    await publishEnvelopes(bus(), events, times);
    await waitFor(() => processed(events), 30_000);
  };
  const live = (agencyId: string, id: string, version: number, marker: string) => o.live(agencyId, { id, version, marker }, version === 1 ? 'created' : 'updated');
  const dlqDepth = () => queueDepth(bus(), bus().queueName(deadLetterQueueName(o.queue)));

  describe(`${title}: replica consumer contract`, () => {
    it('creates the entity from its snapshot and replaces it with a newer one', async () => {
      const agency = randomUUID();
      const id = randomUUID();
      await deliver([live(agency, id, 1, 'first')]);
      expect(await held(agency, id)).toEqual({ marker: 'first', version: 1, deleted: false });
      await deliver([live(agency, id, 2, 'second')]);
      expect(await held(agency, id)).toEqual({ marker: 'second', version: 2, deleted: false });
    });

    it('applies an event delivered 20 times once', async () => {
      const agency = randomUUID();
      const id = randomUUID();
      const event = live(agency, id, 1, 'once');
      await deliver([event], 20);
      await waitFor(async () => (await queueDepth(bus(), bus().queueName(o.queue))) === 0);
      expect(await held(agency, id)).toEqual({ marker: 'once', version: 1, deleted: false });
      const rows = await tenantTx(db(), agency, (tx) => tx.select().from(o.inbox).where(and(eq(o.inbox.consumer, o.queue), eq(o.inbox.eventId, event.id))));
      expect(rows).toHaveLength(1);
    });

    it('ignores an older snapshot that arrives after a newer one', async () => {
      const agency = randomUUID();
      const id = randomUUID();
      await deliver([live(agency, id, 3, 'newest')]);
      await deliver([live(agency, id, 1, 'oldest'), live(agency, id, 2, 'older')]);
      expect(await held(agency, id)).toEqual({ marker: 'newest', version: 3, deleted: false });
    });

    it('keeps a delete as a tombstone that late updates cannot undo, also when it arrives first', async () => {
      const agency = randomUUID();
      const [early, late] = [randomUUID(), randomUUID()];
      await deliver([live(agency, late, 1, 'alive')]);
      await deliver([o.deleted(agency, { id: late, version: 3, marker: 'gone' })]);
      await deliver([live(agency, late, 2, 'back again')]);
      expect(await held(agency, late)).toMatchObject({ version: 3, deleted: true });

      await deliver([o.deleted(agency, { id: early, version: 2, marker: 'gone early' })]);
      await deliver([live(agency, early, 1, 'too late')]);
      expect(await held(agency, early)).toMatchObject({ version: 2, deleted: true });
    });

    it('converges on the newest state whatever the order and however often events arrive', async () => {
      const history = (agency: string, id: string): EventEnvelope[] => [
        live(agency, id, 1, 'v1'),
        live(agency, id, 2, 'v2'),
        live(agency, id, 3, 'v3'),
        o.deleted(agency, { id, version: 4, marker: 'v4' }),
      ];
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(), { minLength: 4, maxLength: 10 }), async (upTo, order) => {
          const agency = randomUUID();
          const id = randomUUID();
          const events = history(agency, id).slice(0, upTo);
          // `order` picks events (repeats allowed: redeliveries); then every event once more so all arrive.
          const sequence = [...order.map((n) => events[n % events.length]!), ...events];
          const byId = new Map(sequence.map((e) => [e.id, e]));
          await publishEnvelopes(bus(), sequence);
          await waitFor(() => processed([...byId.values()]), 30_000);
          const state = await held(agency, id);
          expect(state?.version).toBe(upTo);
          expect(state?.deleted).toBe(upTo === 4);
          if (upTo < 4) expect(state?.marker).toBe(`v${upTo}`);
        }),
        { numRuns: 8 },
      );
    });

    if (o.bulk) {
      const bulk = o.bulk;
      it('applies a bulk event of many snapshots like single events, each by its own version', async () => {
        const agency = randomUUID();
        const ids = Array.from({ length: 60 }, () => randomUUID());
        // Half already held at version 2: the bulk event's version 1 of those must change nothing.
        await deliver(ids.slice(0, 30).map((id) => live(agency, id, 2, 'held')));
        const event = bulk(agency, [
          ...ids.map((id) => ({ id, version: 1, marker: 'bulk v1' })),
          // The same entity twice in one event: the higher version wins.
          { id: ids[59]!, version: 3, marker: 'bulk v3' },
        ]);
        await deliver([event]);
        for (const id of ids.slice(0, 30)) expect(await held(agency, id)).toEqual({ marker: 'held', version: 2, deleted: false });
        for (const id of ids.slice(30, 59)) expect(await held(agency, id)).toEqual({ marker: 'bulk v1', version: 1, deleted: false });
        expect(await held(agency, ids[59]!)).toEqual({ marker: 'bulk v3', version: 3, deleted: false });
      });
    }

    it('dead-letters an event whose payload breaks the contract, changing nothing', async () => {
      const agency = randomUUID();
      const id = randomUUID();
      const before = await dlqDepth();
      const bad = o.malformed(agency, id);
      await publishEnvelopes(bus(), [bad]);
      await waitFor(async () => (await dlqDepth()) === before + 1, 30_000);
      expect(await held(agency, id)).toBeUndefined();
      expect(await processed([bad])).toBe(false);
    });

    it("never shows one agency's entities to another", async () => {
      const [agencyA, agencyB] = [randomUUID(), randomUUID()];
      const [a, b] = [randomUUID(), randomUUID()];
      await deliver([live(agencyA, a, 1, 'of A')]);
      await deliver([live(agencyB, b, 1, 'of B')]);
      expect(await tenantTx(db(), agencyA, o.ids)).toEqual([a]);
      expect(await tenantTx(db(), agencyB, o.ids)).toEqual([b]);
      expect(await held(agencyA, b)).toBeUndefined();
    });
  });
}
