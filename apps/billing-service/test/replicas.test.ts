import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@atelier/contracts';
import { tenantTx, type Db } from '@atelier/platform';
import { publishEnvelopes, stopTestService, waitFor } from '@atelier/platform/testing';
import { replicaConsumerSuite } from '@atelier/platform/testing/replica-suite';
import { agencies, inbox, members, projects, tasks, timeEntries } from '../src/db/schema.js';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { agencyPayload, entryDeleted, entryPayload, envelope, projectPayload, taskPayload } from './projects-events.js';

let h: BillingHarness;
let db: Db;
beforeAll(async () => {
  h = await startBilling();
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const context = () => ({ bus: h.service.ctx.bus, db });
const clientId = randomUUID();
const projectId = randomUUID();

async function deliver(event: EventEnvelope, queue: string) {
  await publishEnvelopes(h.service.ctx.bus, [event]);
  await waitFor(async () =>
    tenantTx(db, event.agencyId, async (tx) => (await tx.select().from(inbox).where(and(eq(inbox.consumer, queue), eq(inbox.eventId, event.id)))).length === 1),
  );
}

const member = (userId: string, name: string, role = 'member') => ({ userId, name, email: `${userId.slice(0, 8)}@agency.test`, role });

replicaConsumerSuite('billing.members (identity.member.* events)', {
  context,
  queue: 'billing.member-replica',
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

replicaConsumerSuite('billing.projects (projects.project.* events)', {
  context,
  queue: 'billing.project-replica',
  inbox,
  live: (agencyId, s, kind) => envelope(agencyId, `projects.project.${kind}.v1`, projectPayload(s.id, clientId, s.version, { name: s.marker })),
  deleted: (agencyId, s) =>
    envelope(agencyId, 'projects.project.deleted.v1', { clientId, projectId: s.id, name: s.marker, version: s.version, deletedAt: new Date().toISOString() }),
  bulk: (agencyId, list) =>
    envelope(agencyId, 'projects.project.resync.v1', { projects: list.map((s) => projectPayload(s.id, clientId, s.version, { name: s.marker })), deleted: [] }),
  malformed: (agencyId, id) => envelope(agencyId, 'projects.project.created.v1', { clientId, project: { id }, version: 1 }),
  read: async (tx, id) => {
    const [row] = await tx.select().from(projects).where(eq(projects.id, id));
    return row && { marker: row.name, version: row.version, deleted: row.deletedAt !== null };
  },
  ids: async (tx) => (await tx.select({ id: projects.id }).from(projects)).map((r) => r.id),
});

replicaConsumerSuite('billing.tasks (projects.task.* events)', {
  context,
  queue: 'billing.task-replica',
  inbox,
  live: (agencyId, s, kind) => envelope(agencyId, `projects.task.${kind}.v1`, taskPayload(s.id, projectId, clientId, s.version, s.marker)),
  deleted: (agencyId, s) =>
    envelope(agencyId, 'projects.task.deleted.v1', { clientId, projectId, taskId: s.id, title: s.marker, version: s.version, deletedAt: new Date().toISOString() }),
  bulk: (agencyId, list) => envelope(agencyId, 'projects.task.resync.v1', { tasks: list.map((s) => taskPayload(s.id, projectId, clientId, s.version, s.marker)), deleted: [] }),
  malformed: (agencyId, id) => envelope(agencyId, 'projects.task.created.v1', { clientId, projectId, projectName: 'x', task: { id }, version: 1 }),
  read: async (tx, id) => {
    const [row] = await tx.select().from(tasks).where(eq(tasks.id, id));
    return row && { marker: row.title, version: row.version, deleted: row.deletedAt !== null };
  },
  ids: async (tx) => (await tx.select({ id: tasks.id }).from(tasks)).map((r) => r.id),
});

const entryOf = (id: string, version: number, marker: string) => entryPayload(id, version, { projectId, clientId, description: marker });
replicaConsumerSuite('billing.time_entries (projects.time_entry.* events)', {
  context,
  queue: 'billing.time-entry-replica',
  inbox,
  live: (agencyId, s, kind) => envelope(agencyId, kind === 'created' ? 'projects.time_entry.logged.v1' : 'projects.time_entry.updated.v1', entryOf(s.id, s.version, s.marker)),
  deleted: (agencyId, s) => envelope(agencyId, 'projects.time_entry.deleted.v1', entryDeleted(s.id, s.version, { projectId, clientId })),
  // billing_changed is the bulk event billing's own invoice events cause; resync is tested with it below.
  bulk: (agencyId, list) => envelope(agencyId, 'projects.time_entry.billing_changed.v1', { clientId, invoiceId: null, entries: list.map((s) => entryOf(s.id, s.version, s.marker)) }),
  malformed: (agencyId, id) => envelope(agencyId, 'projects.time_entry.logged.v1', { clientId, projectId, entry: { id }, version: 1 }),
  read: async (tx, id) => {
    const [row] = await tx.select().from(timeEntries).where(eq(timeEntries.id, id));
    return row && { marker: row.description ?? '', version: row.version, deleted: row.deletedAt !== null };
  },
  ids: async (tx) => (await tx.select({ id: timeEntries.id }).from(timeEntries)).map((r) => r.id),
});

describe('time entry replica', () => {
  const held = (agencyId: string, id: string) => tenantTx(db, agencyId, async (tx) => (await tx.select().from(timeEntries).where(eq(timeEntries.id, id)))[0]);

  it('keeps what the unbilled view and drafts need, the billing state projects published, and the figures of a deleted entry', async () => {
    const agency = randomUUID();
    const [id, taskId, userId, invoiceId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const fields = { projectId, clientId, taskId, userId, date: '2026-11-03', minutes: 50, roundedMinutes: 60, description: 'Homepage', hourlyRate: '120.00', amount: '120.00', currency: 'USD' };
    await deliver(envelope(agency, 'projects.time_entry.logged.v1', entryPayload(id, 1, fields)), 'billing.time-entry-replica');
    expect(await held(agency, id)).toMatchObject({ ...fields, hourlyRate: '120.0000', amount: '120.0000', isBillable: true, rateSource: 'project', billingStatus: 'unbilled', invoiceId: null, version: 1, deletedAt: null });

    const reserved = entryPayload(id, 2, { ...fields, billingStatus: 'reserved', invoiceId });
    await deliver(envelope(agency, 'projects.time_entry.billing_changed.v1', { clientId, invoiceId, entries: [reserved] }), 'billing.time-entry-replica');
    expect(await held(agency, id)).toMatchObject({ billingStatus: 'reserved', invoiceId, version: 2 });

    await deliver(envelope(agency, 'projects.time_entry.deleted.v1', entryDeleted(id, 3, { projectId, clientId })), 'billing.time-entry-replica');
    expect(await held(agency, id)).toMatchObject({ roundedMinutes: 60, amount: '120.0000', version: 3, deletedAt: new Date('2026-11-11T10:00:00.000Z') });
  });

  it('applies a resync event: live entries and tombstones, each by its own version', async () => {
    const agency = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    await deliver(envelope(agency, 'projects.time_entry.logged.v1', entryPayload(b, 4, { projectId, clientId, description: 'newer' })), 'billing.time-entry-replica');
    const resync = envelope(agency, 'projects.time_entry.resync.v1', {
      entries: [entryPayload(a, 2, { projectId, clientId, description: 'from resync' }), entryPayload(b, 3, { projectId, clientId, description: 'older' })],
      deleted: [entryDeleted(randomUUID(), 5, { projectId, clientId })],
    });
    await deliver(resync, 'billing.time-entry-replica');
    expect(await held(agency, a)).toMatchObject({ description: 'from resync', version: 2 });
    expect(await held(agency, b)).toMatchObject({ description: 'newer', version: 4 });
    const all = await tenantTx(db, agency, (tx) => tx.select().from(timeEntries));
    expect(all.filter((r) => r.deletedAt !== null)).toHaveLength(1);
  });
});

describe('agency replica (identity.agency.updated.v1)', () => {
  const held = (agencyId: string) => tenantTx(db, agencyId, async (tx) => (await tx.select().from(agencies))[0]);
  const QUEUE = 'billing.agency-replica';

  it('keeps the newest details whatever order and however often the events arrive', async () => {
    const agencyId = randomUUID();
    const details = { email: 'hello@studio.test', phone: '+49 30 1234', website: 'https://studio.test', address: 'Torstr. 1\n10119 Berlin', taxId: 'DE999', country: 'DE', logo: 'data:image/png;base64,AAAA' };
    const v1 = envelope(agencyId, 'identity.agency.updated.v1', agencyPayload(agencyId, 1, 'Studio'));
    const v2 = envelope(agencyId, 'identity.agency.updated.v1', agencyPayload(agencyId, 2, 'Studio GmbH', details));
    await deliver(v2, QUEUE);
    expect(await held(agencyId)).toMatchObject({ id: agencyId, name: 'Studio GmbH', timezone: 'Europe/Berlin', currency: 'EUR', ...details, version: 2 });
    for (const e of [v1, v2, v1]) await deliver({ ...e, id: randomUUID() }, QUEUE);
    expect(await held(agencyId)).toMatchObject({ name: 'Studio GmbH', country: 'DE', version: 2 });
  });

  it('reads an event published before agencies had a country (none: A4), and keeps agencies apart', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const old = agencyPayload(a, 1, 'Old');
    delete (old.agency as Record<string, unknown>).country;
    await deliver(envelope(a, 'identity.agency.updated.v1', old), QUEUE);
    expect(await held(a)).toMatchObject({ name: 'Old', country: null });
    expect(await held(b)).toBeUndefined();
  });
});

describe('member replica', () => {
  it('keeps one row per agency for a person in two agencies, keyed by memberRowId', async () => {
    const userId = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    await deliver(envelope(a, 'identity.member.joined.v1', { member: member(userId, 'Marta', 'manager'), version: 1 }), 'billing.member-replica');
    await deliver(envelope(b, 'identity.member.joined.v1', { member: member(userId, 'Marta B'), version: 7 }), 'billing.member-replica');
    const rowOf = (agencyId: string) => tenantTx(db, agencyId, async (tx) => (await tx.select().from(members).where(eq(members.userId, userId)))[0]);
    expect(await rowOf(a)).toMatchObject({ name: 'Marta', role: 'manager', removed: false, version: 1 });
    expect(await rowOf(b)).toMatchObject({ name: 'Marta B', role: 'member', version: 7 });
    expect((await rowOf(a))?.id).not.toBe((await rowOf(b))?.id);
  });
});
