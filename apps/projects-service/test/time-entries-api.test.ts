import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { newPrincipal, stopTestService } from '@atelier/platform/testing';
import { timeEntries } from '../src/db/schema.js';
import { outboxEvents, startProjects, type ProjectsHarness } from './projects-harness.js';
import { timeAgency } from './time-helpers.js';

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

describe('time entries API', () => {
  it('logs a duration: rounded to the nearest 15 minutes by default, priced at the project rate, frozen on the entry', async () => {
    const a = await timeAgency(h);
    const res = await a.as(a.member)('POST', '/api/time-entries', { projectId: a.projectId, date: '2026-12-01', minutes: 50, description: 'Wireframes' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      projectId: a.projectId,
      taskId: null,
      userId: a.member.userId,
      date: '2026-12-01',
      minutes: 50,
      roundedMinutes: 45,
      hours: '0.75',
      description: 'Wireframes',
      isBillable: true,
      hourlyRate: '120.00',
      rateSource: 'project',
      amount: '90.00',
      currency: 'EUR',
      startedAt: null,
      endedAt: null,
      billingStatus: 'unbilled',
      invoiceId: null,
    });
    const [logged] = await outboxEvents(db, a.owner.agencyId, 'projects.time_entry.logged.v1');
    expect(logged?.payload).toMatchObject({ clientId: a.clientId, projectId: a.projectId, version: 1, entry: { id: res.body.id, roundedMinutes: 45, amount: '90.00' } });
    expect((await a.as(a.member)('GET', `/api/time-entries/${res.body.id}`)).body).toEqual(res.body);
  });

  it('logs an interval on the work day of its start in the agency timezone: 23:30 UTC in Berlin is the next day', async () => {
    const a = await timeAgency(h, { timezone: 'Europe/Berlin' });
    const res = await a.as(a.member)('POST', '/api/time-entries', { projectId: a.projectId, startedAt: '2026-12-01T23:30:00Z', endedAt: '2026-12-02T01:00:00Z' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ date: '2026-12-02', minutes: 90, roundedMinutes: 90, startedAt: '2026-12-01T23:30:00.000Z', endedAt: '2026-12-02T01:00:00.000Z', amount: '180.00' });
  });

  it.each([
    ['Europe/Berlin', '2026-03-28T23:15:00Z', '2026-03-29T01:15:00Z', '2026-03-29', 120], // 00:15 CET → 03:15 CEST: 2 h across the gap
    ['Europe/Berlin', '2026-10-24T22:30:00Z', '2026-10-25T01:30:00Z', '2026-10-25', 180], // 00:30 CEST → 02:30 CET: 3 h across the fold
    ['America/New_York', '2026-03-08T04:30:00Z', '2026-03-08T07:30:00Z', '2026-03-07', 180], // 23:30 EST on the 7th
    ['America/New_York', '2026-11-01T04:30:00Z', '2026-11-01T07:00:00Z', '2026-11-01', 150], // 00:30 EDT on the 1st
    ['Australia/Sydney', '2026-04-04T13:30:00Z', '2026-04-04T17:00:00Z', '2026-04-05', 210], // 00:30 AEDT on the 5th
    ['Australia/Sydney', '2026-10-03T13:30:00Z', '2026-10-03T16:00:00Z', '2026-10-03', 150], // 23:30 AEST on the 3rd
  ])('on DST days in %s, %s → %s is on %s and lasts %i minutes', async (timezone, startedAt, endedAt, date, minutes) => {
    const a = await timeAgency(h, { timezone });
    const res = await a.as(a.member)('POST', '/api/time-entries', { projectId: a.projectId, startedAt, endedAt });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ date, minutes });
  });

  it('answers 400 naming the field for impossible time, and for inactive projects and foreign tasks', async () => {
    const a = await timeAgency(h);
    const api = a.as(a.member);
    const bad = async (body: Record<string, unknown>, path: string, code?: string) => {
      const res = await api('POST', '/api/time-entries', { projectId: a.projectId, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors?.map((e: { path: string }) => e.path)).toContain(path);
      if (code) expect(res.body.code).toBe(code);
    };
    await bad({ startedAt: '2026-12-01T10:00:00Z', endedAt: '2026-12-01T09:00:00Z' }, 'endedAt');
    await bad({ startedAt: '2026-12-01T10:00:00Z', endedAt: '2026-12-01T10:00:00Z' }, 'endedAt');
    await bad({ startedAt: '2026-12-01T10:00:00Z', endedAt: '2026-12-02T10:00:01Z' }, 'endedAt');
    await bad({ startedAt: '2026-12-01T10:00:00Z', endedAt: '2026-12-01T10:00:20Z' }, 'endedAt', 'time_entry.too_long');
    await bad({ minutes: 0 }, 'minutes');
    await bad({ minutes: 1441 }, 'minutes');
    await bad({ minutes: 30, startedAt: '2026-12-01T10:00:00Z', endedAt: '2026-12-01T11:00:00Z' }, 'minutes');
    await bad({ date: '2026-02-30', minutes: 30 }, 'date');
    await bad({}, 'minutes');
    expect((await api('POST', '/api/time-entries', { projectId: '00000000-0000-4000-8000-000000000000', minutes: 30 })).status).toBe(404);

    const other = await a.as(a.owner)('POST', '/api/projects', { clientId: a.clientId, name: 'Other' });
    const task = await a.as(a.owner)('POST', `/api/projects/${other.body.id}/tasks`, { title: 'Not here' });
    await bad({ minutes: 30, taskId: task.body.id }, 'taskId', 'task.not_in_project');
    await a.as(a.owner)('PATCH', `/api/projects/${a.projectId}`, { status: 'on_hold' });
    await bad({ minutes: 30 }, 'projectId', 'project.not_active');
  });

  it('lets members log their own time only; managers and above log and edit anyone’s', async () => {
    const a = await timeAgency(h);
    const forOther = await a.as(a.member)('POST', '/api/time-entries', { projectId: a.projectId, minutes: 30, userId: a.manager.userId });
    expect(forOther.status).toBe(403);
    expect(forOther.body.code).toBe('time_entry.forbidden');
    const byManager = await a.as(a.manager)('POST', '/api/time-entries', { projectId: a.projectId, minutes: 30, userId: a.member.userId });
    expect(byManager.status).toBe(201);
    expect(byManager.body.userId).toBe(a.member.userId);
    const stranger = await a.as(a.manager)('POST', '/api/time-entries', { projectId: a.projectId, minutes: 30, userId: newPrincipal().userId });
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors).toEqual([{ path: 'userId', message: 'is not a member of the agency' }]);

    const managersOwn = await a.as(a.manager)('POST', '/api/time-entries', { projectId: a.projectId, minutes: 30 });
    expect((await a.as(a.member)('PATCH', `/api/time-entries/${managersOwn.body.id}`, { minutes: 60 })).status).toBe(403);
    expect((await a.as(a.member)('DELETE', `/api/time-entries/${managersOwn.body.id}`)).status).toBe(403);
    expect((await a.as(a.member)('GET', `/api/time-entries/${managersOwn.body.id}`)).status).toBe(403);
    expect((await a.as(a.member)('PATCH', `/api/time-entries/${byManager.body.id}`, { minutes: 60 })).status).toBe(200);
    expect((await a.as(a.owner)('PATCH', `/api/time-entries/${byManager.body.id}`, { description: 'Checked' })).body).toMatchObject({ minutes: 60, description: 'Checked' });

    // The list: members see their own time; asking for someone else's is refused.
    const mine = await a.as(a.member)('GET', '/api/time-entries');
    expect(mine.body.data.map((e: { userId: string }) => e.userId)).toEqual([a.member.userId]);
    expect((await a.as(a.member)('GET', `/api/time-entries?userId=${a.manager.userId}`)).status).toBe(403);
    expect((await a.as(a.manager)('GET', '/api/time-entries')).body.total).toBe(2);
  });

  it('never shows or changes another agency’s entries (404)', async () => {
    const a = await timeAgency(h);
    const b = await timeAgency(h);
    const entry = await a.as(a.owner)('POST', '/api/time-entries', { projectId: a.projectId, minutes: 30 });
    for (const [method, body] of [['GET'], ['PATCH', { minutes: 45 }], ['DELETE']] as const) {
      const res = await b.as(b.owner)(method, `/api/time-entries/${entry.body.id}`, body);
      expect(res.status, method).toBe(404);
      expect(res.body.code).toBe('time_entry.not_found');
    }
    expect((await b.as(b.owner)('POST', '/api/time-entries', { projectId: a.projectId, minutes: 30 })).status).toBe(404);
    expect((await b.as(b.owner)('GET', '/api/time-entries')).body.total).toBe(0);
  });

  it('edits re-apply today’s rounding rule and rate; entries nobody edits keep theirs; deletes are versioned tombstones', async () => {
    const a = await timeAgency(h);
    const api = a.as(a.owner);
    const first = (await api('POST', '/api/time-entries', { projectId: a.projectId, minutes: 50 })).body;
    const second = (await api('POST', '/api/time-entries', { projectId: a.projectId, minutes: 50 })).body;
    expect((await api('PATCH', '/api/settings/time', { rounding: { mode: 'up', minutes: 30 } })).body.rounding).toEqual({ mode: 'up', minutes: 30 });
    expect((await api('GET', `/api/time-entries/${first.id}`)).body.roundedMinutes).toBe(45);
    const edited = await api('PATCH', `/api/time-entries/${second.id}`, { description: 'Now rounded up' });
    expect(edited.body).toMatchObject({ minutes: 50, roundedMinutes: 60, amount: '120.00' });
    const third = (await api('POST', '/api/time-entries', { projectId: a.projectId, minutes: 61 })).body;
    expect(third.roundedMinutes).toBe(90);

    expect((await api('DELETE', `/api/time-entries/${second.id}`)).status).toBe(204);
    expect((await api('GET', `/api/time-entries/${second.id}`)).status).toBe(404);
    const events = await outboxEvents(db, a.owner.agencyId);
    const ofSecond = events.filter((e) => (e.payload as { entry?: { id: string }; timeEntryId?: string }).entry?.id === second.id || (e.payload as { timeEntryId?: string }).timeEntryId === second.id);
    expect(ofSecond.map((e) => [e.name, (e.payload as { version: number }).version])).toEqual([
      ['projects.time_entry.logged.v1', 1],
      ['projects.time_entry.updated.v1', 2],
      ['projects.time_entry.deleted.v1', 3],
    ]);
  });

  it('filters by project, task, user, dates, billing status and billability, and pages with a cursor', async () => {
    const a = await timeAgency(h);
    const api = a.as(a.owner);
    const task = (await api('POST', `/api/projects/${a.projectId}/tasks`, { title: 'Design' })).body;
    const other = (await api('POST', '/api/projects', { clientId: a.clientId, name: 'Retainer' })).body;
    await api('POST', '/api/time-entries', { projectId: a.projectId, taskId: task.id, date: '2026-11-02', minutes: 30 });
    await api('POST', '/api/time-entries', { projectId: a.projectId, date: '2026-11-03', minutes: 30, isBillable: false });
    await api('POST', '/api/time-entries', { projectId: other.id, date: '2026-11-04', minutes: 30, userId: a.member.userId });
    await api('POST', '/api/time-entries', { projectId: other.id, date: '2026-11-05', minutes: 30, description: 'Call with ACME' });
    const total = async (query: string) => (await api('GET', `/api/time-entries?${query}`)).body.total as number;
    expect(await total('')).toBe(4);
    expect(await total(`projectId=${a.projectId}`)).toBe(2);
    expect(await total(`taskId=${task.id}`)).toBe(1);
    expect(await total(`userId=${a.member.userId}`)).toBe(1);
    expect(await total(`clientId=${a.clientId}`)).toBe(4);
    expect(await total('from=2026-11-03&to=2026-11-04')).toBe(2);
    expect(await total('isBillable=false')).toBe(1);
    expect(await total('billingStatus=unbilled')).toBe(4);
    expect(await total('billingStatus=billed')).toBe(0);
    expect(await total('search=acme')).toBe(1);

    const dates: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { date: string }[]; nextCursor: string | null } } = await api('GET', `/api/time-entries?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      dates.push(...page.body.data.map((e) => e.date));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(dates).toEqual(['2026-11-05', '2026-11-04', '2026-11-03', '2026-11-02']);
    const byMinutes = await api('GET', '/api/time-entries?sort=minutes&order=asc&limit=2');
    expect(byMinutes.body.data).toHaveLength(2);
    expect((await api('GET', `/api/time-entries?sort=date&cursor=${byMinutes.body.nextCursor}`)).status).toBe(400);
    expect((await api('GET', '/api/time-entries?from=2026-11-05&to=2026-11-01')).body.errors).toEqual([{ path: 'query.to', message: 'must be on or after from' }]);
  });

  it('keeps the rate frozen on the entry when the project rate changes later', async () => {
    const a = await timeAgency(h);
    const api = a.as(a.owner);
    const before = (await api('POST', '/api/time-entries', { projectId: a.projectId, minutes: 60 })).body;
    await api('PATCH', `/api/projects/${a.projectId}`, { hourlyRate: '150.00' });
    expect((await api('GET', `/api/time-entries/${before.id}`)).body).toMatchObject({ hourlyRate: '120.00', amount: '120.00' });
    const [row] = await tenantTx(db, a.owner.agencyId, (tx) => tx.select().from(timeEntries).where(and(eq(timeEntries.id, before.id))));
    expect(row?.rateCardId).not.toBeNull();
  });
});
