import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentOwner } from '@atelier/contracts';
import type { Db } from '@atelier/platform';
import { createTestDatabase, fileClient, newPrincipal, sampleFiles, serviceClient, TEST_BLOB_GRACE_MS, stopTestService, testEnv, testNamespace, waitFor, type TestPrincipal } from '@atelier/platform/testing';
import { loadProjectsConfig } from '../src/config.js';
import { buildProjectsService } from '../src/projects-service.js';
import { outboxEvents, projectsMigrations, seedClient, seedMember, type ProjectsHarness } from './projects-harness.js';

let h: ProjectsHarness;
let db: Db;
let sql: postgres.Sql;
let files: ReturnType<typeof fileClient>;
const owner = newPrincipal('owner');
const manager = newPrincipal('manager', owner.agencyId);
const marta = newPrincipal('member', owner.agencyId);
const otherMember = newPrincipal('member', owner.agencyId);
const stranger = newPrincipal('owner');

beforeAll(async () => {
  const database = await createTestDatabase({ projects: projectsMigrations });
  const service = buildProjectsService(loadProjectsConfig(testEnv('projects', database, testNamespace())), { blobs: { graceMs: TEST_BLOB_GRACE_MS }, jobRunner: { pollMs: 50 } });
  const server = await service.start();
  h = { db: database, service, url: server.url, namespace: '' };
  db = service.ctx.database.db;
  sql = postgres(database.ownerUrl, { max: 2, onnotice: () => {} });
  files = fileClient(h.url, 'projects');
  await seedMember(db, marta, 'Marta');
});
afterAll(async () => {
  await sql?.end();
  await stopTestService(h.service);
  await h.db.drop();
});

const as = (who: TestPrincipal) => serviceClient(h.url, who);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const blobCount = async (agencyId: string) => Number((await sql<{ n: string }[]>`select count(*) as n from projects.blobs where agency_id = ${agencyId}`)[0]?.n);

async function newProject(who: TestPrincipal, name = 'Website Redesign') {
  const clientId = await seedClient(db, who.agencyId);
  const project = (await as(who)('POST', '/api/projects', { clientId, name })).body as { id: string };
  const task = (await as(who)('POST', `/api/projects/${project.id}/tasks`, { title: 'Homepage' })).body as { id: string };
  return { clientId, projectId: project.id, taskId: task.id };
}

describe('project and task attachments', () => {
  it('round-trips files on a project and a task, names the client and says it in an event', async () => {
    const { clientId, projectId, taskId } = await newProject(owner);
    const onProject = await files.upload(marta, `/api/projects/${projectId}/attachments`, sampleFiles.pdf, 'Mock-ups.pdf', 'image/png');
    expect(onProject.status).toBe(201);
    expect(onProject.body).toMatchObject({ parentKind: 'project', parentId: projectId, clientId, contentType: 'application/pdf', uploaderName: 'Marta', sha256: sha(sampleFiles.pdf) });
    expect(attachmentOwner(onProject.body.id)).toBe('projects');
    const onTask = await files.upload(owner, `/api/tasks/${taskId}/attachments`, sampleFiles.png, 'shot.png');
    expect(onTask.body).toMatchObject({ parentKind: 'task', parentId: taskId, clientId, contentType: 'image/png' });

    expect((await as(owner)('GET', `/api/projects/${projectId}/attachments`)).body.data.map((a: { id: string }) => a.id)).toEqual([onProject.body.id]);
    expect((await as(owner)('GET', `/api/tasks/${taskId}/attachments`)).body.data.map((a: { id: string }) => a.id)).toEqual([onTask.body.id]);
    const got = await files.download(owner, onTask.body.id);
    expect(got.bytes).toEqual(sampleFiles.png);
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="shot.png"/);

    const [added] = await outboxEvents(db, owner.agencyId, 'projects.attachment.added.v1');
    expect(added).toMatchObject({ actorId: marta.userId, payload: { clientId, attachment: { id: onProject.body.id, fileName: 'Mock-ups.pdf' }, parent: { kind: 'project', id: projectId, name: 'Website Redesign' } } });
  });

  it("is 404 for another agency on every route, and 403 for a member removing someone else's file", async () => {
    const { projectId, taskId } = await newProject(owner);
    const up = await files.upload(marta, `/api/tasks/${taskId}/attachments`, sampleFiles.png, 'a.png');
    const them = as(stranger);
    expect((await them('GET', `/api/projects/${projectId}/attachments`)).body.code).toBe('project.not_found');
    expect((await them('GET', `/api/tasks/${taskId}/attachments`)).body.code).toBe('task.not_found');
    expect((await files.upload(stranger, `/api/projects/${projectId}/attachments`, sampleFiles.png, 'a.png')).status).toBe(404);
    expect((await files.upload(stranger, `/api/tasks/${taskId}/attachments`, sampleFiles.png, 'a.png')).status).toBe(404);
    expect((await them('GET', `/api/attachments/${up.body.id}`)).status).toBe(404);
    expect((await them('DELETE', `/api/attachments/${up.body.id}`)).status).toBe(404);
    expect((await files.download(stranger, up.body.id)).status).toBe(404);

    const forbidden = await as(otherMember)('DELETE', `/api/attachments/${up.body.id}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('attachment.not_uploader');
    expect((await as(manager)('DELETE', `/api/attachments/${up.body.id}`)).status).toBe(204);
    const [removed] = await outboxEvents(db, owner.agencyId, 'projects.attachment.removed.v1');
    expect(removed?.payload).toMatchObject({ attachmentId: up.body.id, fileName: 'a.png', parent: { kind: 'task', id: taskId, name: 'Homepage (Website Redesign)' } });
  });

  it("takes a deleted task's and a deleted project's attachments (its tasks' too) with them; the kit job removes the blobs", async () => {
    const who = newPrincipal('owner');
    const { projectId, taskId } = await newProject(who, 'Going away');
    const other = await newProject(who, 'Staying');
    const taskFile = await files.upload(who, `/api/tasks/${taskId}/attachments`, sampleFiles.png, 't.png');
    await files.upload(who, `/api/projects/${projectId}/attachments`, sampleFiles.pdf, 'p.pdf');
    const secondTask = (await as(who)('POST', `/api/projects/${projectId}/tasks`, { title: 'Second' })).body.id as string;
    await files.upload(who, `/api/tasks/${secondTask}/attachments`, sampleFiles.png, 's.png');
    const kept = await files.upload(who, `/api/projects/${other.projectId}/attachments`, sampleFiles.pdf, 'kept.pdf');
    expect(await blobCount(who.agencyId)).toBe(4);

    expect((await as(who)('DELETE', `/api/tasks/${taskId}`)).status).toBe(204);
    expect((await as(who)('GET', `/api/attachments/${taskFile.body.id}`)).status).toBe(404);
    await waitFor(async () => ((await blobCount(who.agencyId)) === 3 ? true : undefined), 20_000);
    expect((await as(who)('DELETE', `/api/projects/${projectId}`)).status).toBe(204);
    await waitFor(async () => ((await blobCount(who.agencyId)) === 1 ? true : undefined), 20_000);
    expect((await files.download(who, kept.body.id)).bytes).toEqual(sampleFiles.pdf);
    expect((await as(who)('GET', `/api/projects/${randomUUID()}/attachments`)).status).toBe(404);
  });
});
