import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@atelier/contracts';
import { buildEnvelope, resync, tenantTx, type Db } from '@atelier/platform';
import {
  createTestDatabase,
  deleteBusNamespace,
  fileClient,
  newPrincipal,
  publishEnvelopes,
  repoRoot,
  serviceClient,
  spawnService,
  stopTestService,
  TEST_AMQP_URL,
  TEST_RETRY_DELAYS_MS,
  testEnv,
  testNamespace,
  waitFor,
  type ChildService,
  type TestDatabase,
  type TestPrincipal,
  TEST_BLOB_GRACE_MS,
} from '@atelier/platform/testing';
import { and, eq, inArray } from 'drizzle-orm';
import { loadProjectsConfig } from '../src/config.js';
import { attachmentUsage, inbox } from '../src/db/schema.js';
import { buildProjectsService } from '../src/projects-service.js';
import { projectsResyncSources } from '../src/resync/resync-service.js';
import { outboxEvents, projectsMigrations, seedClient } from './projects-harness.js';

/**
 * One attachment quota per agency across the services that keep attachments (issue 13): crm (a
 * child process, as deployed) and projects (in-process) on one database and bus, each with a
 * 10 kB quota. Each counts its own files exactly and the other's from its usage events.
 */
const QUOTA = 10_000;
const quotaEnv = { ATTACHMENT_QUOTA_BYTES: String(QUOTA) };

let db: TestDatabase;
let namespace: string;
let crm: ChildService;
let projects: Awaited<ReturnType<typeof startProjects>>;
let projectsDb: Db;
let sql: postgres.Sql;

async function startProjects() {
  const service = buildProjectsService(loadProjectsConfig(testEnv('projects', db, namespace, quotaEnv)), { blobs: { graceMs: TEST_BLOB_GRACE_MS }, jobRunner: { pollMs: 50 } });
  const server = await service.start();
  return { service, url: server.url };
}

beforeAll(async () => {
  db = await createTestDatabase({ projects: projectsMigrations, crm: path.join(repoRoot, 'apps/crm-service/drizzle') });
  namespace = testNamespace();
  crm = await spawnService('crm', 'apps/crm-service/src/main.ts', testEnv('crm', db, namespace, quotaEnv));
  projects = await startProjects();
  projectsDb = projects.service.ctx.database.db;
  sql = postgres(db.ownerUrl, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await crm?.stop();
  if (projects) await stopTestService(projects.service);
  await sql?.end();
  await deleteBusNamespace(TEST_AMQP_URL, namespace, ['crm.timeline', 'crm.member-names', 'crm.attachment-usage'], TEST_RETRY_DELAYS_MS);
  await db?.drop();
});

const crmFiles = () => fileClient(crm.url, 'crm');
const projectFiles = () => fileClient(projects.url, 'projects');
const file = (bytes: number) => randomBytes(bytes);

async function newClientInCrm(who: TestPrincipal) {
  return (await serviceClient(crm.url, who)('POST', '/api/clients', { name: `ACME ${randomBytes(3).toString('hex')}` })).body.id as string;
}
async function newProject(who: TestPrincipal) {
  const clientId = await seedClient(projectsDb, who.agencyId);
  const project = (await serviceClient(projects.url, who)('POST', '/api/projects', { clientId, name: 'Website Redesign' })).body as { id: string };
  const task = (await serviceClient(projects.url, who)('POST', `/api/projects/${project.id}/tasks`, { title: 'Homepage' })).body as { id: string };
  return { projectId: project.id, taskId: task.id };
}

/** What a service's usage table holds for an agency, per owner (read by the superuser, across RLS). */
async function usageIn(schema: 'crm' | 'projects', agencyId: string): Promise<Record<string, { bytes: number; version: number }>> {
  const rows = await sql<{ owner: string; bytes: string; version: string }[]>`select owner, bytes, version from ${sql(schema)}.attachment_usage where agency_id = ${agencyId}`;
  return Object.fromEntries(rows.map((r) => [r.owner, { bytes: Number(r.bytes), version: Number(r.version) }]));
}
/** Waits until `schema` holds `owner`'s usage of the agency at `bytes`. */
const usageReaches = (schema: 'crm' | 'projects', agencyId: string, owner: string, bytes: number) =>
  waitFor(async () => ((await usageIn(schema, agencyId))[owner]?.bytes === bytes ? true : undefined), 20_000);

async function crmUsageEvents(agencyId: string) {
  const rows = await sql<{ envelope: EventEnvelope }[]>`select envelope from crm.outbox where agency_id = ${agencyId} and name = 'crm.attachment.usage.v1' order by seq`;
  return rows.map((r) => r.envelope.payload as { owner: string; bytes: number; version: number });
}

describe('one attachment quota per agency, across crm and projects', () => {
  it("refuses in projects a file that fits projects' own usage once crm's usage arrived, and frees the room when crm's file goes", async () => {
    const who = newPrincipal('owner');
    const clientId = await newClientInCrm(who);
    const { projectId, taskId } = await newProject(who);

    const inCrm = await crmFiles().upload(who, `/api/clients/${clientId}/attachments`, file(6_000), 'brief.bin');
    expect(inCrm.status).toBe(201);
    expect(await crmUsageEvents(who.agencyId)).toEqual([{ owner: 'crm', bytes: 6_000, version: 1 }]);
    await usageReaches('projects', who.agencyId, 'crm', 6_000);

    // 5 kB fits projects' own (empty) usage, not the agency's.
    const refused = await projectFiles().upload(who, `/api/projects/${projectId}/attachments`, file(5_000), 'too-much.bin');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('attachment.quota_exceeded');
    expect(refused.body.errors).toEqual([{ path: 'file', message: 'does not fit in the storage quota' }]);
    expect(Number((await sql<{ n: string }[]>`select count(*) as n from projects.attachments where agency_id = ${who.agencyId}`)[0]?.n)).toBe(0);
    expect((await projectFiles().upload(who, `/api/tasks/${taskId}/attachments`, file(3_000), 'fits.bin')).status).toBe(201);
    const [usage] = await outboxEvents(projectsDb, who.agencyId, 'projects.attachment.usage.v1');
    expect(usage).toMatchObject({ actorId: who.userId, payload: { owner: 'projects', bytes: 3_000, version: 1 } });
    expect(Object.hasOwn(usage!.payload as object, 'clientId')).toBe(false);

    // And the other way round: crm now counts projects' 3 kB.
    await usageReaches('crm', who.agencyId, 'projects', 3_000);
    const crmRefused = await crmFiles().upload(who, `/api/clients/${clientId}/attachments`, file(2_000), 'late.bin');
    expect(crmRefused.status).toBe(409);
    expect(crmRefused.body.detail).toMatch(/^The agency's attachments use /);

    // Removing the crm file publishes crm's lower usage; projects then has room again.
    expect((await serviceClient(crm.url, who)('DELETE', `/api/attachments/${inCrm.body.id}`)).status).toBe(204);
    expect((await crmUsageEvents(who.agencyId)).at(-1)).toEqual({ owner: 'crm', bytes: 0, version: 2 });
    await usageReaches('projects', who.agencyId, 'crm', 0);
    expect((await projectFiles().upload(who, `/api/projects/${projectId}/attachments`, file(5_000), 'now-fits.bin')).status).toBe(201);
    expect(await usageIn('projects', who.agencyId)).toEqual({ crm: { bytes: 0, version: 2 }, projects: { bytes: 8_000, version: 2 } });

    // Resync republishes projects' snapshot at the version it holds: consumers that have it change nothing.
    const [report] = await resync(projectsDb, projectsResyncSources, [who.agencyId]);
    expect(report!.counts.attachmentUsage).toBe(1);
    expect((await outboxEvents(projectsDb, who.agencyId, 'projects.attachment.usage.v1')).at(-1)?.payload).toEqual({ owner: 'projects', bytes: 8_000, version: 2 });
    await usageReaches('crm', who.agencyId, 'projects', 8_000);
    expect((await usageIn('crm', who.agencyId)).projects).toEqual({ bytes: 8_000, version: 2 });
  });

  it("publishes the lower usage when a client's or a project's cascade takes its files", async () => {
    const who = newPrincipal('owner');
    const clientId = await newClientInCrm(who);
    for (const size of [1_000, 1_500]) expect((await crmFiles().upload(who, `/api/clients/${clientId}/attachments`, file(size), 'f.bin')).status).toBe(201);
    await usageReaches('projects', who.agencyId, 'crm', 2_500);
    expect((await serviceClient(crm.url, who)('DELETE', `/api/clients/${clientId}`)).status).toBe(204);
    expect(await crmUsageEvents(who.agencyId)).toEqual([
      { owner: 'crm', bytes: 1_000, version: 1 },
      { owner: 'crm', bytes: 2_500, version: 2 },
      { owner: 'crm', bytes: 0, version: 3 },
    ]);
    await usageReaches('projects', who.agencyId, 'crm', 0);
    expect((await usageIn('projects', who.agencyId)).crm).toEqual({ bytes: 0, version: 3 });

    // A project's delete takes its own and its tasks' files: one snapshot for all of them.
    const { projectId, taskId } = await newProject(who);
    expect((await projectFiles().upload(who, `/api/projects/${projectId}/attachments`, file(700), 'p.bin')).status).toBe(201);
    expect((await projectFiles().upload(who, `/api/tasks/${taskId}/attachments`, file(800), 't.bin')).status).toBe(201);
    expect((await serviceClient(projects.url, who)('DELETE', `/api/projects/${projectId}`)).status).toBe(204);
    expect((await outboxEvents(projectsDb, who.agencyId, 'projects.attachment.usage.v1')).map((e) => e.payload)).toEqual([
      { owner: 'projects', bytes: 700, version: 1 },
      { owner: 'projects', bytes: 1_500, version: 2 },
      { owner: 'projects', bytes: 0, version: 3 },
    ]);
    await usageReaches('crm', who.agencyId, 'projects', 0);
    // A task or project without files publishes nothing.
    const empty = await newProject(who);
    expect((await serviceClient(projects.url, who)('DELETE', `/api/tasks/${empty.taskId}`)).status).toBe(204);
    expect(await outboxEvents(projectsDb, who.agencyId, 'projects.attachment.usage.v1')).toHaveLength(3);
  });

  it("never counts another agency's usage", async () => {
    const full = newPrincipal('owner');
    const other = newPrincipal('owner');
    expect((await crmFiles().upload(full, `/api/clients/${await newClientInCrm(full)}/attachments`, file(9_000), 'big.bin')).status).toBe(201);
    await usageReaches('projects', full.agencyId, 'crm', 9_000);
    const { projectId } = await newProject(other);
    expect((await projectFiles().upload(other, `/api/projects/${projectId}/attachments`, file(9_000), 'big.bin')).status).toBe(201);
    // Row-level security: the other agency's transaction sees only its own row.
    const seen = await tenantTx(projectsDb, other.agencyId, (tx) => tx.select({ agencyId: attachmentUsage.agencyId, owner: attachmentUsage.owner }).from(attachmentUsage));
    expect(seen).toEqual([{ agencyId: other.agencyId, owner: 'projects' }]);
  });

  it('converges on the newest usage whatever the order of the events, and ignores duplicates', async () => {
    const who = newPrincipal('owner');
    const usage = (bytes: number, version: number) => buildEnvelope({ name: 'crm.attachment.usage.v1', agencyId: who.agencyId, actorId: null, payload: { owner: 'crm', bytes, version } }) as EventEnvelope;
    const events = [usage(3_000, 3), usage(1_000, 1), usage(4_000, 2)];
    // Each published twice, the newest first: the older ones and the copies change nothing.
    await publishEnvelopes(projects.service.ctx.bus, events, 2);
    const crmEvents = events.map((e) => e.id);
    await waitFor(async () => {
      const rows = await tenantTx(projectsDb, who.agencyId, (tx) =>
        tx
          .select({ id: inbox.eventId })
          .from(inbox)
          .where(and(eq(inbox.consumer, 'projects.attachment-usage'), inArray(inbox.eventId, crmEvents))),
      );
      return rows.length === crmEvents.length ? true : undefined;
    }, 20_000);
    expect(await usageIn('projects', who.agencyId)).toEqual({ crm: { bytes: 3_000, version: 3 } });
    await publishEnvelopes(projects.service.ctx.bus, [usage(500, 4)]);
    await usageReaches('projects', who.agencyId, 'crm', 500);
    expect((await usageIn('projects', who.agencyId)).crm).toEqual({ bytes: 500, version: 4 });
  });
});
