import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetThresholdCrossedPayload } from '@atelier/contracts';
import { memberRowId, tenantTx, type Db } from '@atelier/platform';
import { startTestSmtp, stopTestService, type TestSmtp } from '@atelier/platform/testing';
import { addDays, workDate } from '@atelier/time';
import { members } from '../src/db/schema.js';
import { outboxEvents, startProjects, type ProjectsHarness } from './projects-harness.js';
import { timeAgency } from './time-helpers.js';

let h: ProjectsHarness;
let db: Db;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  h = await startProjects({ env: { SMTP_URL: smtp.url, JOBS_POLL_MS: '50' } });
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
  await smtp.stop();
});

const crossings = async (agencyId: string) =>
  (await outboxEvents(db, agencyId, 'projects.budget.threshold_crossed.v1')).map((e) => e.payload as BudgetThresholdCrossedPayload);

describe('project budgets', () => {
  it('fires each threshold once under 20 concurrent entries, mails the managers, and the timeline event names the client', async () => {
    const a = await timeAgency(h, { project: { budgetHours: '10' } });
    // The manager has an email in the member replica; the member (no manager) gets no mail.
    await tenantTx(db, a.owner.agencyId, (tx) =>
      tx.insert(members).values({ id: memberRowId(a.owner.agencyId, a.owner.userId), agencyId: a.owner.agencyId, userId: a.owner.userId, name: 'Olga Owner', email: 'olga@agency.test', role: 'owner', version: 2 }).onConflictDoUpdate({ target: members.id, set: { email: 'olga@agency.test' } }),
    );
    const api = a.as(a.member);
    const results = await Promise.all(Array.from({ length: 20 }, () => api('POST', '/api/time-entries', { projectId: a.projectId, minutes: 30 })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const fired = await crossings(a.owner.agencyId);
    expect(fired.map((c) => `${c.kind}:${c.threshold}`).sort()).toEqual(['hours:100', 'hours:50', 'hours:80']);
    expect(fired.find((c) => c.threshold === 80)).toMatchObject({ clientId: a.clientId, projectId: a.projectId, projectName: 'Website Redesign', budget: '10.00', currency: 'EUR' });

    const mail = await smtp.next((m) => m.parsed.subject === 'Hours budget of Website Redesign 80 % used');
    expect(mail.rcptTo).toEqual(['olga@agency.test']);
    expect(mail.parsed.text).toMatch(/of 10\.00 h/);

    // Going back under and over again announces nothing new.
    const last = results[0]!.body.id as string;
    await api('PATCH', `/api/time-entries/${last}`, { minutes: 1 });
    await api('PATCH', `/api/time-entries/${last}`, { minutes: 30 });
    expect(await crossings(a.owner.agencyId)).toHaveLength(3);

    const stats = (await api('GET', `/api/projects/${a.projectId}/stats`)).body;
    expect(stats).toMatchObject({ loggedHours: '10.00', billableHours: '10.00', unbilledHours: '10.00', budgetHours: '10.00', budgetUsedPercent: '100.0', budgetHoursUsedPercent: '100.0', budgetAmountUsedPercent: null, amountUsed: '1200.00', currency: 'EUR' });
    expect(stats.thresholdsCrossed.map((t: { threshold: number }) => t.threshold).sort()).toEqual([100, 50, 80]);
  });

  it('counts money budgets separately, and crosses them by amount', async () => {
    const a = await timeAgency(h, { project: { budgetAmount: '1000.00' } });
    const api = a.as(a.owner);
    await api('POST', '/api/time-entries', { projectId: a.projectId, minutes: 240 }); // 480.00
    expect((await crossings(a.owner.agencyId)).map((c) => c.threshold)).toEqual([]);
    await api('POST', '/api/time-entries', { projectId: a.projectId, minutes: 15 }); // 510.00
    expect((await crossings(a.owner.agencyId)).map((c) => [c.kind, c.threshold, c.used, c.usedPercent])).toEqual([['money', 50, '510.00', '51.0']]);
    await api('POST', '/api/time-entries', { projectId: a.projectId, minutes: 60, isBillable: false });
    const stats = (await api('GET', `/api/projects/${a.projectId}/stats`)).body;
    expect(stats).toMatchObject({ loggedHours: '5.25', billableHours: '4.25', amountUsed: '510.00', budgetAmount: '1000.00', budgetUsedPercent: '51.0', budgetHoursUsedPercent: null });
  });

  it('forecasts the run-out day from the trailing 14 days, and counts tasks by status', async () => {
    const a = await timeAgency(h, { timezone: 'UTC', project: { budgetHours: '100' } });
    const api = a.as(a.owner);
    const today = workDate(new Date(), 'UTC');
    // 14 h over the last 14 days (1 h a day) and 20 h long before: 66 h left → 66 days.
    await api('POST', '/api/time-entries', { projectId: a.projectId, date: addDays(today, -13), minutes: 7 * 60 });
    await api('POST', '/api/time-entries', { projectId: a.projectId, date: today, minutes: 7 * 60 });
    await api('POST', '/api/time-entries', { projectId: a.projectId, date: addDays(today, -40), minutes: 20 * 60 });
    await api('POST', `/api/projects/${a.projectId}/tasks`, { title: 'A' });
    await api('POST', `/api/projects/${a.projectId}/tasks`, { title: 'B', status: 'done' });
    const stats = (await api('GET', `/api/projects/${a.projectId}/stats`)).body;
    expect(stats.forecastRunOutDate).toBe(addDays(today, 66));
    expect(stats.tasksByStatus).toEqual({ todo: 1, in_progress: 0, blocked: 0, done: 1 });
  });

  it('answers 404 for another agency’s project', async () => {
    const a = await timeAgency(h);
    const b = await timeAgency(h);
    expect((await b.as(b.owner)('GET', `/api/projects/${a.projectId}/stats`)).status).toBe(404);
  });
});
