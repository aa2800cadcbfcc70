import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopTestService } from '@atelier/platform/testing';
import { startProjects, type ProjectsHarness } from './projects-harness.js';
import { timeAgency } from './time-helpers.js';

let h: ProjectsHarness;
beforeAll(async () => {
  h = await startProjects();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('rate cards', () => {
  it('prices each entry by the most specific card in force on its date, and freezes it', async () => {
    const a = await timeAgency(h, { hourlyRate: null });
    const api = a.as(a.owner);
    const card = async (body: Record<string, unknown>) => {
      const res = await api('POST', '/api/rates', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const log = async (date: string, userId = a.member.userId) => (await api('POST', '/api/time-entries', { projectId: a.projectId, date, minutes: 60, userId })).body;
    expect(await log('2026-06-01')).toMatchObject({ hourlyRate: null, rateSource: null, amount: '0.00' });
    const agencyCard = await card({ scope: 'agency', amount: '50.00', effectiveFrom: '2026-01-01' });
    expect(agencyCard).toMatchObject({ scope: 'agency', clientId: null, projectId: null, userId: null, amount: '50.00', currency: 'EUR', effectiveFrom: '2026-01-01' });
    expect(await log('2026-06-01')).toMatchObject({ hourlyRate: '50.00', rateSource: 'agency', amount: '50.00' });
    await card({ scope: 'member', userId: a.member.userId, amount: '60.00', effectiveFrom: '2026-01-01' });
    expect(await log('2026-06-01')).toMatchObject({ rateSource: 'member', amount: '60.00' });
    expect(await log('2026-06-01', a.manager.userId)).toMatchObject({ rateSource: 'agency' });
    await card({ scope: 'client', clientId: a.clientId, amount: '70.00', effectiveFrom: '2026-01-01' });
    expect(await log('2026-06-01')).toMatchObject({ rateSource: 'client', amount: '70.00' });
    await card({ scope: 'project', projectId: a.projectId, amount: '80.00', effectiveFrom: '2026-01-01' });
    expect(await log('2026-06-01')).toMatchObject({ rateSource: 'project', amount: '80.00' });
    await card({ scope: 'project_member', projectId: a.projectId, userId: a.member.userId, amount: '90.00', effectiveFrom: '2026-06-02' });
    // Effective-date boundary: the day before keeps the project rate, the day itself takes the new one.
    expect(await log('2026-06-01')).toMatchObject({ rateSource: 'project', amount: '80.00' });
    const onTheDay = await log('2026-06-02');
    expect(onTheDay).toMatchObject({ rateSource: 'project_member', hourlyRate: '90.00', amount: '90.00' });

    // A later change of the card leaves the entry as it was.
    const list = (await api('GET', '/api/rates?scope=project_member')).body;
    expect(list.total).toBe(1);
    expect((await api('PATCH', `/api/rates/${list.data[0].id}`, { amount: '95.00' })).body.amount).toBe('95.00');
    expect((await api('GET', `/api/time-entries/${onTheDay.id}`)).body.amount).toBe('90.00');
  });

  it('applies a card to the unbilled entries it covers on request, and says how many changed', async () => {
    const a = await timeAgency(h);
    const api = a.as(a.owner);
    const ids: string[] = [];
    for (const date of ['2026-05-31', '2026-06-01', '2026-06-15']) ids.push((await api('POST', '/api/time-entries', { projectId: a.projectId, date, minutes: 50, userId: a.member.userId })).body.id);
    const card = (await api('POST', '/api/rates', { scope: 'project_member', projectId: a.projectId, userId: a.member.userId, amount: '200.00', effectiveFrom: '2026-06-01' })).body;
    expect((await api('GET', `/api/time-entries/${ids[1]}`)).body.amount).toBe('90.00');
    const applied = await api('POST', `/api/rates/${card.id}/apply`, {});
    expect(applied.body).toEqual({ updated: 2 });
    const after = await Promise.all(ids.map(async (id) => (await api('GET', `/api/time-entries/${id}`)).body));
    expect(after.map((e) => [e.date, e.rateSource, e.amount, e.roundedMinutes])).toEqual([
      ['2026-05-31', 'project', '90.00', 45],
      ['2026-06-01', 'project_member', '150.00', 45],
      ['2026-06-15', 'project_member', '150.00', 45],
    ]);
    expect((await api('POST', `/api/rates/${card.id}/apply`)).body).toEqual({ updated: 0 });
    expect((await api('POST', `/api/rates/${card.id}/apply`, { from: '2026-06-10' })).body).toEqual({ updated: 0 });
  });

  it('guards: owners and admins manage every card, managers project cards, members none; targets must exist; duplicates 409', async () => {
    const a = await timeAgency(h);
    const b = await timeAgency(h);
    expect((await a.as(a.member)('GET', '/api/rates')).status).toBe(403);
    expect((await a.as(a.manager)('GET', '/api/rates')).status).toBe(200);
    expect((await a.as(a.manager)('POST', '/api/rates', { scope: 'agency', amount: '10.00' })).body.code).toBe('rate.forbidden');
    const projectCard = await a.as(a.manager)('POST', '/api/rates', { scope: 'project', projectId: a.projectId, amount: '99.00', effectiveFrom: '2026-03-01' });
    expect(projectCard.status).toBe(201);
    expect((await a.as(a.member)('DELETE', `/api/rates/${projectCard.body.id}`)).status).toBe(403);
    const dup = await a.as(a.owner)('POST', '/api/rates', { scope: 'project', projectId: a.projectId, amount: '98.00', effectiveFrom: '2026-03-01' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('rate.duplicate');
    const missing = await a.as(a.owner)('POST', '/api/rates', { scope: 'project', projectId: b.projectId, amount: '10.00' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'projectId', message: 'is not a project of the agency' }]);
    expect((await a.as(a.owner)('POST', '/api/rates', { scope: 'member', userId: b.member.userId, amount: '10.00' })).body.errors[0].path).toBe('userId');
    expect((await a.as(a.owner)('POST', '/api/rates', { scope: 'client', amount: '10.00' })).body.errors).toEqual([{ path: 'clientId', message: 'is required for scope client' }]);
    expect((await a.as(a.owner)('POST', '/api/rates', { scope: 'agency', amount: '10.001' })).body.errors[0].path).toBe('amount');
    expect((await a.as(a.owner)('POST', '/api/rates', { scope: 'agency', amount: '10', currency: 'JPY' })).body).toMatchObject({ amount: '10', currency: 'JPY' });
    for (const [method, path, body] of [['PATCH', `/api/rates/${projectCard.body.id}`, { amount: '1.00' }], ['DELETE', `/api/rates/${projectCard.body.id}`], ['POST', `/api/rates/${projectCard.body.id}/apply`, {}]] as const) {
      expect((await b.as(b.owner)(method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    expect((await b.as(b.owner)('GET', '/api/rates')).body.data.map((c: { id: string }) => c.id)).not.toContain(projectCard.body.id);
    expect((await a.as(a.owner)('DELETE', `/api/rates/${projectCard.body.id}`)).status).toBe(204);
  });

  it('lists with filters, sort and cursor', async () => {
    const a = await timeAgency(h, { hourlyRate: null });
    const api = a.as(a.owner);
    for (const day of ['2026-01-01', '2026-02-01', '2026-03-01']) await api('POST', '/api/rates', { scope: 'agency', amount: '10.00', effectiveFrom: day });
    await api('POST', '/api/rates', { scope: 'member', userId: a.member.userId, amount: '20.00', effectiveFrom: '2026-01-01' });
    const first = (await api('GET', '/api/rates?limit=2')).body;
    expect(first.total).toBe(4);
    const second = (await api('GET', `/api/rates?limit=2&cursor=${first.nextCursor}`)).body;
    expect([...first.data, ...second.data].map((c: { effectiveFrom: string }) => c.effectiveFrom)).toEqual(['2026-03-01', '2026-02-01', '2026-01-01', '2026-01-01']);
    expect(second.nextCursor).toBeNull();
    expect((await api('GET', `/api/rates?userId=${a.member.userId}`)).body.total).toBe(1);
    expect((await api('GET', `/api/rates?sort=amount&cursor=${first.nextCursor}`)).status).toBe(400);
  });
});

describe('time settings', () => {
  it('defaults to nearest 15, Monday, billable; owners and admins change them, others may read', async () => {
    const a = await timeAgency(h);
    expect((await a.as(a.member)('GET', '/api/settings/time')).body).toEqual({ rounding: { mode: 'nearest', minutes: 15 }, weekStartsOn: 1, defaultBillable: true });
    const refused = await a.as(a.manager)('PATCH', '/api/settings/time', { weekStartsOn: 7 });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('settings.forbidden');
    expect((await a.as(a.owner)('PATCH', '/api/settings/time', { rounding: { mode: 'down', minutes: 6 }, defaultBillable: false })).body).toEqual({ rounding: { mode: 'down', minutes: 6 }, weekStartsOn: 1, defaultBillable: false });
    expect((await a.as(a.owner)('PATCH', '/api/settings/time', { rounding: { mode: 'up', minutes: 7 } })).body.errors[0].path).toBe('rounding.minutes');
    const entry = (await a.as(a.member)('POST', '/api/time-entries', { projectId: a.projectId, minutes: 17 })).body;
    expect(entry).toMatchObject({ roundedMinutes: 12, isBillable: false, amount: '0.00' });
    const b = await timeAgency(h);
    expect((await b.as(b.owner)('GET', '/api/settings/time')).body.rounding).toEqual({ mode: 'nearest', minutes: 15 });
  });
});
