import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_TOKEN_HEADER } from '@atelier/platform';
import { internalTokenFor, stopTestService } from '@atelier/platform/testing';
import { startProjects, type ProjectsHarness } from './projects-harness.js';
import { timeAgency, type TimeAgency } from './time-helpers.js';

let h: ProjectsHarness;
beforeAll(async () => {
  h = await startProjects();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

/** A week of time: Monday 30 Nov 2026 … Sunday 6 Dec 2026. */
async function week(a: TimeAgency) {
  const api = a.as(a.owner);
  const task = (await api('POST', `/api/projects/${a.projectId}/tasks`, { title: 'Design' })).body;
  const other = (await api('POST', '/api/projects', { clientId: a.clientId, name: 'Retainer' })).body;
  const log = (body: Record<string, unknown>) => api('POST', '/api/time-entries', { projectId: a.projectId, ...body });
  await log({ taskId: task.id, date: '2026-11-30', minutes: 50, userId: a.member.userId }); // rounded 45
  await log({ taskId: task.id, date: '2026-12-01', minutes: 60, userId: a.member.userId });
  await log({ date: '2026-12-01', minutes: 30, userId: a.member.userId, isBillable: false });
  await log({ projectId: other.id, date: '2026-12-06', minutes: 120, userId: a.member.userId });
  await log({ date: '2026-12-07', minutes: 15, userId: a.member.userId }); // next week
  await log({ date: '2026-12-01', minutes: 90 }); // the owner's
  return { task, other };
}

describe('summary', () => {
  it('totals minutes, billable minutes and amount per user, task, project and day', async () => {
    const a = await timeAgency(h);
    const { task, other } = await week(a);
    const api = a.as(a.manager);
    const byUser = (await api('GET', `/api/time-entries/summary?groupBy=user&from=2026-11-30&to=2026-12-06`)).body;
    expect(byUser.groups.map((g: { label: string; minutes: number; roundedMinutes: number; billableMinutes: number; amount: string }) => [g.label, g.minutes, g.roundedMinutes, g.billableMinutes, g.amount])).toEqual([
      ['Mia Member', 260, 255, 225, '210.00'],
      ['Olga Owner', 90, 90, 90, '180.00'],
    ]);
    expect(byUser.totals).toMatchObject({ minutes: 350, roundedMinutes: 345, billableMinutes: 315, hours: '5.75', billableHours: '5.25', amount: '390.00', currency: 'EUR', amounts: [{ amount: '390.00', currency: 'EUR' }] });

    const byTask = (await api('GET', `/api/time-entries/summary?groupBy=task&projectId=${a.projectId}`)).body;
    expect(byTask.groups.map((g: { key: string | null; label: string | null; roundedMinutes: number }) => [g.key, g.label, g.roundedMinutes])).toEqual([
      [task.id, 'Design', 105],
      [null, null, 135],
    ]);
    const byDay = (await api('GET', `/api/time-entries/summary?groupBy=day&userId=${a.member.userId}`)).body;
    expect(byDay.groups.map((g: { key: string; minutes: number }) => [g.key, g.minutes])).toEqual([
      ['2026-11-30', 50],
      ['2026-12-01', 90],
      ['2026-12-06', 120],
      ['2026-12-07', 15],
    ]);
    const byProject = (await api('GET', '/api/time-entries/summary?groupBy=project')).body;
    expect(byProject.groups.map((g: { key: string; label: string }) => [g.key, g.label])).toEqual([
      [other.id, 'Retainer'],
      [a.projectId, 'Website Redesign'],
    ]);
  });

  it('shows members their own time; another member’s is refused', async () => {
    const a = await timeAgency(h);
    await week(a);
    const mine = (await a.as(a.member)('GET', '/api/time-entries/summary?groupBy=user')).body;
    expect(mine.groups.map((g: { key: string }) => g.key)).toEqual([a.member.userId]);
    expect((await a.as(a.member)('GET', `/api/time-entries/summary?userId=${a.owner.userId}`)).status).toBe(403);
    expect((await a.as(a.member)('GET', '/api/time-entries/summary?groupBy=client')).body.errors[0].path).toBe('query.groupBy');
    const b = await timeAgency(h);
    expect((await b.as(b.owner)('GET', `/api/time-entries/summary?projectId=${a.projectId}`)).body.totals.minutes).toBe(0);
  });
});

describe('timesheet', () => {
  it('is a user’s week from the agency week start, rows of project × task, every day present', async () => {
    const a = await timeAgency(h);
    const { task, other } = await week(a);
    const sheet = (await a.as(a.member)('GET', '/api/timesheet?weekOf=2026-12-03')).body;
    expect(sheet.weekStart).toBe('2026-11-30');
    expect(sheet.days).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(sheet.rows.map((r: { projectName: string; taskTitle: string | null; totalMinutes: number }) => [r.projectName, r.taskTitle, r.totalMinutes])).toEqual([
      ['Retainer', null, 120],
      ['Website Redesign', null, 30],
      ['Website Redesign', 'Design', 110],
    ]);
    const designRow = sheet.rows.find((r: { taskId: string | null }) => r.taskId === task.id);
    expect(designRow.minutesByDay).toEqual({ '2026-11-30': 50, '2026-12-01': 60, '2026-12-02': 0, '2026-12-03': 0, '2026-12-04': 0, '2026-12-05': 0, '2026-12-06': 0 });
    expect(sheet.rows[0]).toMatchObject({ projectId: other.id, clientId: a.clientId });
    expect(sheet.totalsByDay['2026-12-01']).toBe(90);
    expect(sheet.totalMinutes).toBe(260);
  });

  it('follows the agency’s week start, and lets managers (only) see a member’s week', async () => {
    const a = await timeAgency(h);
    await week(a);
    await a.as(a.owner)('PATCH', '/api/settings/time', { weekStartsOn: 7 });
    const fromSunday = (await a.as(a.manager)('GET', `/api/timesheet?weekOf=2026-12-03&userId=${a.member.userId}`)).body;
    expect(fromSunday.weekStart).toBe('2026-11-29');
    expect(fromSunday.totalMinutes).toBe(140);
    const refused = await a.as(a.member)('GET', `/api/timesheet?userId=${a.owner.userId}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('timesheet.forbidden');
    expect((await a.as(a.member)('GET', '/api/timesheet?weekOf=2026-13-01')).body.errors[0].path).toBe('query.weekOf');
  });
});

describe('CSV export', () => {
  it('streams the list’s filtered entries with people’s headings, the formula guard and a BOM', async () => {
    const a = await timeAgency(h);
    await week(a);
    await a.as(a.owner)('POST', '/api/time-entries', { projectId: a.projectId, date: '2026-12-02', minutes: 60, description: '=HYPERLINK("http://evil.test"); call' });
    const res = await fetch(`${h.url}/api/time-entries.csv?from=2026-12-01&to=2026-12-02&sort=date&order=asc`, { headers: await headersFor(a) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('Date,Member,Client,Project,Task,Description,Minutes,Rounded minutes,Hours,Billable,Hourly rate,Amount,Currency,')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines.some((l) => l.includes(`"'=HYPERLINK(""http://evil.test""); call"`))).toBe(true);
    expect(lines.find((l) => l.includes('Olga Owner') && l.includes(',90,'))).toMatch(/^2026-12-01,Olga Owner,ACME Corp,Website Redesign,,,90,90,1\.50,true,120\.00,180\.00,EUR,project,unbilled,/);

    const mine = await (await fetch(`${h.url}/api/time-entries.csv`, { headers: await headersFor(a, 'member') })).text();
    expect(mine.trim().split('\r\n').slice(1).every((l) => l.includes('Mia Member'))).toBe(true);
    const refused = await fetch(`${h.url}/api/time-entries.csv?userId=${a.owner.userId}`, { headers: await headersFor(a, 'member') });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

async function headersFor(a: TimeAgency, who: 'owner' | 'member' = 'owner'): Promise<Record<string, string>> {
  return { [INTERNAL_TOKEN_HEADER]: await internalTokenFor(h.url, who === 'owner' ? a.owner : a.member) };
}
