import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@atelier/contracts';
import { tenantTx, type Db } from '@atelier/platform';
import { publishEnvelopes, stopTestService, waitFor } from '@atelier/platform/testing';
import { replicaConsumerSuite } from '@atelier/platform/testing/replica-suite';
import { agencies, inbox, members } from '../src/db/schema.js';
import { startProjects, type ProjectsHarness } from './projects-harness.js';

let h: ProjectsHarness;
let db: Db;
beforeAll(async () => {
  h = await startProjects();
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const envelope = (agencyId: string, name: string, payload: unknown): EventEnvelope => ({
  id: randomUUID(),
  name,
  occurredAt: new Date().toISOString(),
  agencyId,
  actorId: null,
  payload,
  trace: {},
});
const member = (userId: string, name: string, role = 'member') => ({ userId, name, email: `${userId.slice(0, 8)}@agency.test`, role });

replicaConsumerSuite('projects.members (identity.member.* events)', {
  context: () => ({ bus: h.service.ctx.bus, db }),
  queue: 'projects.member-replica',
  inbox,
  live: (agencyId, s, kind) => envelope(agencyId, kind === 'created' ? 'identity.member.joined.v1' : 'identity.member.updated.v1', { member: member(s.id, s.marker), version: s.version }),
  deleted: (agencyId, s) => envelope(agencyId, 'identity.member.removed.v1', { userId: s.id, name: s.marker, version: s.version, removedAt: new Date().toISOString() }),
  malformed: (agencyId, id) => envelope(agencyId, 'identity.member.joined.v1', { member: { userId: id }, version: 1 }),
  read: async (tx, id) => {
    const [row] = await tx.select().from(members).where(eq(members.userId, id));
    return row && { marker: row.name, version: row.version, deleted: row.removed };
  },
  ids: async (tx) => (await tx.select({ id: members.userId }).from(members)).map((r) => r.id),
});

async function deliver(event: EventEnvelope, queue: string) {
  await publishEnvelopes(h.service.ctx.bus, [event]);
  await waitFor(async () =>
    tenantTx(db, event.agencyId, async (tx) => (await tx.select().from(inbox).where(and(eq(inbox.consumer, queue), eq(inbox.eventId, event.id)))).length === 1),
  );
}

describe('member replica', () => {
  it('keeps role and email, and one row per agency for a person in two agencies', async () => {
    const userId = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    await deliver(envelope(a, 'identity.member.joined.v1', { member: member(userId, 'Marta', 'manager'), version: 1 }), 'projects.member-replica');
    await deliver(envelope(b, 'identity.member.joined.v1', { member: member(userId, 'Marta B', 'member'), version: 7 }), 'projects.member-replica');
    const rowOf = (agencyId: string) => tenantTx(db, agencyId, async (tx) => (await tx.select().from(members).where(eq(members.userId, userId)))[0]);
    expect(await rowOf(a)).toMatchObject({ name: 'Marta', role: 'manager', email: `${userId.slice(0, 8)}@agency.test`, removed: false, version: 1 });
    expect(await rowOf(b)).toMatchObject({ name: 'Marta B', role: 'member', version: 7 });
  });
});

const agencyEvent = (agencyId: string, version: number, timezone: string, name = `Agency v${version}`) =>
  envelope(agencyId, 'identity.agency.updated.v1', {
    agency: { id: agencyId, name, timezone, currency: 'EUR', email: null, phone: null, website: null, address: null, taxId: null, logo: null },
    version,
  });

describe('agency replica (identity.agency.updated.v1)', () => {
  const held = (agencyId: string) => tenantTx(db, agencyId, async (tx) => (await tx.select().from(agencies))[0]);

  it('keeps the newest timezone whatever order and however often the events arrive', async () => {
    const agencyId = randomUUID();
    const v1 = agencyEvent(agencyId, 1, 'UTC');
    const v2 = agencyEvent(agencyId, 2, 'Europe/Berlin');
    const v3 = agencyEvent(agencyId, 3, 'America/New_York', 'Renamed');
    await deliver(v2, 'projects.agency-replica');
    expect(await held(agencyId)).toMatchObject({ id: agencyId, timezone: 'Europe/Berlin', version: 2 });
    for (const e of [v1, v2, v3, v1, { ...v3, id: randomUUID() }]) await deliver({ ...e, id: randomUUID() }, 'projects.agency-replica');
    expect(await held(agencyId)).toMatchObject({ name: 'Renamed', timezone: 'America/New_York', currency: 'EUR', version: 3 });
  });

  it("never shows one agency's row to another", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await deliver(agencyEvent(a, 1, 'Asia/Tokyo'), 'projects.agency-replica');
    expect(await held(a)).toMatchObject({ timezone: 'Asia/Tokyo' });
    expect(await held(b)).toBeUndefined();
  });
});
