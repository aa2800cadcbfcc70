import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@atelier/contracts';
import { listRoutes, undocumentedRoutes, sendMalformedBodies, newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { seedClient, seedMember, startProjects, type ProjectsHarness } from './projects-harness.js';

let h: ProjectsHarness;
beforeAll(async () => {
  h = await startProjects();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('OpenAPI covers projects-service', () => {
  it('documents every route projects-service serves', () => {
    const served = listRoutes(h.service.app);
    expect(served.length).toBeGreaterThanOrEqual(11);
    expect(undocumentedRoutes(served, routes)).toEqual([]);
  });
});

describe('malformed input never causes a 5xx', () => {
  it('answers 200 malformed bodies across the project and task routes with 4xx problem+json', async () => {
    const owner = newPrincipal('owner');
    await seedMember(h.service.ctx.database.db, owner);
    const api = serviceClient(h.url, owner);
    const clientId = await seedClient(h.service.ctx.database.db, owner.agencyId);
    const projectId = (await api('POST', '/api/projects', { clientId, name: 'Target' })).body.id as string;
    const taskId = (await api('POST', `/api/projects/${projectId}/tasks`, { title: 'Target' })).body.id as string;
    const targets: [string, string][] = [
      ['POST', '/api/projects'],
      ['PATCH', `/api/projects/${projectId}`],
      ['POST', `/api/projects/${projectId}/tasks`],
      ['POST', `/api/projects/${projectId}/tasks/reorder`],
      ['PATCH', `/api/tasks/${taskId}`],
    ];
    const fields = ['clientId', 'name', 'status', 'startDate', 'dueDate', 'budgetHours', 'budgetAmount', 'hourlyRate', 'currency', 'isBillable', 'title', 'priority', 'assigneeId', 'estimatedHours', 'taskIds'];
    const statuses = await sendMalformedBodies(api, targets, fields, 200, 7);
    expect(statuses.get(400)).toBeGreaterThan(50);
    expect(statuses.get(413)).toBeGreaterThan(10);
    expect(statuses.get(415)).toBeGreaterThan(10);
  });

  it('answers odd query strings and path ids with 4xx', async () => {
    const api = serviceClient(h.url, newPrincipal('owner'));
    for (const path of ['/api/projects?limit=abc', '/api/projects?limit=1&limit=2', '/api/projects/%00', '/api/projects?cursor=%00', `/api/projects?search=${'x'.repeat(5000)}`, '/api/projects?search=%00', '/api/tasks/..%2f..', '/api/projects/00000000-0000-4000-8000-000000000000/tasks?cursor=abc', '/api/projects/00000000-0000-4000-8000-000000000000/tasks?status[]=x']) {
      const res = await api('GET', path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
