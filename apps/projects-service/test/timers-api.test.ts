import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { serviceClient, stopTestService } from '@atelier/platform/testing';
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

const running = (agencyId: string, userId: string) =>
  tenantTx(db, agencyId, (tx) =>
    tx
      .select()
      .from(timeEntries)
      .where(and(eq(timeEntries.userId, userId), isNull(timeEntries.endedAt), isNull(timeEntries.deletedAt))),
  );

describe('timers', () => {
  it('starts, shows the server’s elapsed time, and stops into a time entry', async () => {
    const a = await timeAgency(h);
    const api = a.as(a.member);
    expect((await api('GET', '/api/timers/current')).body).toEqual({ timer: null });
    const task = (await a.as(a.owner)('POST', `/api/projects/${a.projectId}/tasks`, { title: 'Build' })).body;
    const started = await api('POST', '/api/timers/start', { projectId: a.projectId, taskId: task.id, description: 'Header' });
    expect(started.status).toBe(201);
    expect(started.body.stopped).toBeNull();
    expect(started.body.timer).toMatchObject({ projectId: a.projectId, taskId: task.id, userId: a.member.userId, description: 'Header', isBillable: true });
    const current = (await api('GET', '/api/timers/current')).body.timer;
    expect(current.id).toBe(started.body.timer.id);
    expect(current.startedAt).toBe(started.body.timer.startedAt);
    expect(Date.parse(current.serverNow)).toBeGreaterThanOrEqual(Date.parse(current.startedAt));
    expect(current.elapsedSeconds).toBe(Math.floor((Date.parse(current.serverNow) - Date.parse(current.startedAt)) / 1000));
    // A running timer is no entry yet: not in the list, not on the bus.
    expect((await api('GET', '/api/time-entries')).body.total).toBe(0);
    expect(await outboxEvents(db, a.owner.agencyId, 'projects.time_entry.logged.v1')).toEqual([]);

    const stopped = await api('POST', '/api/timers/stop');
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ id: started.body.timer.id, minutes: 1, roundedMinutes: 0, taskId: task.id, startedAt: started.body.timer.startedAt, billingStatus: 'unbilled' });
    expect(stopped.body.endedAt).not.toBeNull();
    expect((await api('GET', '/api/timers/current')).body).toEqual({ timer: null });
    expect((await api('POST', '/api/timers/stop')).body.code).toBe('timer.not_running');
    const [logged] = await outboxEvents(db, a.owner.agencyId, 'projects.time_entry.logged.v1');
    expect(logged?.payload).toMatchObject({ entry: { id: stopped.body.id }, version: 2 });
  });

  it('starting while one runs stops the running one and returns both', async () => {
    const a = await timeAgency(h);
    const api = a.as(a.member);
    const first = (await api('POST', '/api/timers/start', { projectId: a.projectId })).body.timer;
    const second = await api('POST', '/api/timers/start', { projectId: a.projectId, description: 'Next' });
    expect(second.body.stopped).toMatchObject({ id: first.id, minutes: 1 });
    expect(second.body.timer.id).not.toBe(first.id);
    expect((await running(a.owner.agencyId, a.member.userId)).map((r) => r.id)).toEqual([second.body.timer.id]);
  });

  it('20 simultaneous starts of one user leave exactly one timer running (and the other 19 stopped)', async () => {
    const a = await timeAgency(h);
    const api = a.as(a.member);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api('POST', '/api/timers/start', { projectId: a.projectId, description: `start ${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const live = await running(a.owner.agencyId, a.member.userId);
    expect(live).toHaveLength(1);
    expect(results.filter((r) => r.body.stopped === null)).toHaveLength(1);
    expect((await api('GET', '/api/time-entries')).body.total).toBe(19);
    expect((await api('GET', '/api/timers/current')).body.timer.id).toBe(live[0]?.id);
  });

  it('the database refuses a second running timer for one user whatever the code does', async () => {
    const a = await timeAgency(h);
    await a.as(a.member)('POST', '/api/timers/start', { projectId: a.projectId });
    const insert = tenantTx(db, a.owner.agencyId, (tx) =>
      tx.insert(timeEntries).values({ agencyId: a.owner.agencyId, projectId: a.projectId, userId: a.member.userId, date: '2026-12-01', minutes: 0, roundedMinutes: 0, startedAt: new Date(), isBillable: true, currency: 'EUR' }),
    );
    await expect(insert).rejects.toThrow();
    // Another user's timer is theirs alone.
    expect((await a.as(a.manager)('POST', '/api/timers/start', { projectId: a.projectId })).body.stopped).toBeNull();
  });

  it('refuses to start on an inactive project or a task of another project, and keeps timers per agency', async () => {
    const a = await timeAgency(h);
    const b = await timeAgency(h);
    await a.as(a.owner)('PATCH', `/api/projects/${a.projectId}`, { status: 'completed' });
    const res = await a.as(a.member)('POST', '/api/timers/start', { projectId: a.projectId });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'projectId', message: expect.stringMatching(/completed/) }]);
    expect((await b.as(b.member)('POST', '/api/timers/start', { projectId: a.projectId })).status).toBe(404);
    expect((await a.as(a.member)('POST', '/api/timers/start', {})).body.errors).toEqual([{ path: 'projectId', message: expect.any(String) }]);
  });

  it('a timer survives a restart of the service: the new process shows the same start and the elapsed time since', async () => {
    const a = await timeAgency(h);
    const started = (await a.as(a.member)('POST', '/api/timers/start', { projectId: a.projectId, description: 'Across a restart' })).body.timer;
    // A second process on the same database, as after a deploy; the first goes away.
    const next = await startProjects({ db: h.db, namespace: h.namespace });
    try {
      await stopTestService(h.service);
      const api = serviceClient(next.url, a.member);
      const current = (await api('GET', '/api/timers/current')).body.timer;
      expect(current).toMatchObject({ id: started.id, startedAt: started.startedAt, description: 'Across a restart' });
      expect(current.elapsedSeconds).toBe(Math.floor((Date.parse(current.serverNow) - Date.parse(started.startedAt)) / 1000));
      const stopped = await api('POST', '/api/timers/stop');
      expect(stopped.status).toBe(200);
      expect(stopped.body).toMatchObject({ id: started.id, startedAt: started.startedAt });
    } finally {
      // Later tests (and afterAll) use `h`: it is the new process from here on.
      h = { ...h, service: next.service, url: next.url };
      db = h.service.ctx.database.db;
    }
  });
});
