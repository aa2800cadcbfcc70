import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMalformedBodies, stopTestService } from '@atelier/platform/testing';
import { startProjects, type ProjectsHarness } from './projects-harness.js';
import { timeAgency, type TimeAgency } from './time-helpers.js';

let h: ProjectsHarness;
let a: TimeAgency;
beforeAll(async () => {
  h = await startProjects();
  a = await timeAgency(h);
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('time routes: malformed input never causes a 5xx', () => {
  it('answers 200 malformed bodies on every time route that takes one with 4xx problem+json', async () => {
    const api = a.as(a.owner);
    const entry = (await api('POST', '/api/time-entries', { projectId: a.projectId, minutes: 30 })).body.id as string;
    const card = (await api('POST', '/api/rates', { scope: 'agency', amount: '10.00' })).body.id as string;
    const targets: [string, string][] = [
      ['POST', '/api/time-entries'],
      ['PATCH', `/api/time-entries/${entry}`],
      ['POST', '/api/timers/start'],
      ['POST', '/api/rates'],
      ['PATCH', `/api/rates/${card}`],
      ['POST', `/api/rates/${card}/apply`],
      ['PATCH', '/api/settings/time'],
    ];
    const fields = ['projectId', 'taskId', 'userId', 'date', 'minutes', 'startedAt', 'endedAt', 'description', 'isBillable', 'scope', 'clientId', 'amount', 'currency', 'effectiveFrom', 'from', 'rounding', 'weekStartsOn', 'defaultBillable'];
    const statuses = await sendMalformedBodies(api, targets, fields, 210, 11);
    expect(statuses.get(400)).toBeGreaterThan(50);
    expect(statuses.get(413)).toBeGreaterThan(10);
    expect(statuses.get(415)).toBeGreaterThan(10);
  });

  it('answers odd query strings and path ids with 4xx', async () => {
    const api = a.as(a.owner);
    for (const path of [
      '/api/time-entries?limit=abc',
      '/api/time-entries?from=yesterday',
      '/api/time-entries?billingStatus=paid',
      '/api/time-entries?isBillable=maybe',
      '/api/time-entries?cursor=%00',
      '/api/time-entries?projectId=1',
      '/api/time-entries/%00',
      '/api/time-entries/summary?groupBy=%00',
      '/api/time-entries/summary?from=2026-01-02&to=2026-01-01',
      '/api/timesheet?weekOf=2026-02-30',
      '/api/timesheet?userId=me',
      '/api/time-entries.csv?to=never',
      '/api/rates?scope=galaxy',
      '/api/rates?cursor=abc',
      `/api/time-entries?search=${'x'.repeat(5000)}`,
    ]) {
      const res = await api('GET', path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
