import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteBusNamespace, spawnService, startTestSmtp, TEST_AMQP_URL, TEST_RETRY_DELAYS_MS, testEnv, testNamespace, waitFor, createTestDatabase, type ChildService, type TestDatabase, type TestSmtp } from '@atelier/platform/testing';
import type { Gateway } from '../src/gateway.js';
import { migrations, signUp, startGateway, type Browser } from './gateway-harness.js';

/**
 * Projects through the gateway, with crm and projects-service as child processes on one bus: the
 * client and the owner reach projects' replicas by event, and project events reach crm's timeline.
 */
let db: TestDatabase;
let namespace: string;
let smtp: TestSmtp;
let crm: ChildService;
let projects: ChildService;
let gateway: Gateway;
let owner: Browser;
let ownerId: string;
beforeAll(async () => {
  db = await createTestDatabase({ gateway: migrations('gateway'), crm: migrations('crm-service'), projects: migrations('projects-service') });
  namespace = testNamespace();
  smtp = await startTestSmtp();
  [crm, projects] = await Promise.all([
    spawnService('crm', 'apps/crm-service/src/main.ts', testEnv('crm', db, namespace)),
    spawnService('projects', 'apps/projects-service/src/main.ts', testEnv('projects', db, namespace)),
  ]);
  gateway = await startGateway(db, namespace, { CRM_URL: crm.url, PROJECTS_URL: projects.url, SMTP_URL: smtp.url });
  const signed = await signUp(gateway.server!.url, 'Flow Studio');
  owner = signed.browser;
  ownerId = signed.me.user.id;
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([crm?.stop(), projects?.stop()]);
  await smtp?.stop();
  await deleteBusNamespace(TEST_AMQP_URL, namespace, ['crm.timeline', 'projects.client-replica', 'projects.member-replica', 'projects.agency-replica'], TEST_RETRY_DELAYS_MS);
  await db?.drop();
});

describe('projects through the gateway', () => {
  it('plans a project for a crm client, runs a task to done, and the timeline tells it', async () => {
    const clientId = (await owner.post('/api/clients', { name: 'ACME Corp', currency: 'CHF' })).body.id as string;
    // The client reaches projects' replica by event: until then it is not a client projects knows.
    const project = await waitFor(async () => {
      const res = await owner.post('/api/projects', { clientId, name: 'Website Redesign', budgetHours: '40' });
      return res.status === 201 ? res.body : undefined;
    });
    expect(project).toMatchObject({ clientId, currency: 'CHF', status: 'active' });

    // So does the owner, as a member who can be assigned.
    const task = await waitFor(async () => {
      const res = await owner.post(`/api/projects/${project.id}/tasks`, { title: 'Wireframes', assigneeId: ownerId });
      return res.status === 201 ? res.body : undefined;
    });
    expect((await owner.post(`/api/projects/${project.id}/tasks/reorder`, { status: 'done', taskIds: [task.id] })).status).toBe(200);

    const titles = await waitFor(async () => {
      const res = await owner.get(`/api/timeline?clientId=${clientId}`);
      const t = (res.body.data as { title: string }[]).map((e) => e.title);
      return t.some((x) => x.startsWith('Task Wireframes done')) ? t : undefined;
    });
    expect(titles).toEqual(['Task Wireframes done by Olivia Owner', 'Task Wireframes created by Olivia Owner', 'Project Website Redesign created by Olivia Owner', 'Client ACME Corp created by Olivia Owner']);
    expect((await owner.get(`/api/projects?clientId=${clientId}`)).body).toMatchObject({ total: 1, data: [{ name: 'Website Redesign' }] });
  });
});
