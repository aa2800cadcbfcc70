import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectSnapshots, taskSnapshots, timeEntrySnapshots, type EventEnvelope } from '@atelier/contracts';
import { resync, type Db } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { projectsResyncSources } from '../src/resync/resync-service.js';
import { outboxEvents, seedClient, seedMember, startProjects, type ProjectsHarness } from './projects-harness.js';

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

// Projects and tasks have different payloads; the checks below only read id, version, deleted and data.
type AnySnapshot = { id: string; version: number; deleted: boolean; data: unknown };
const snapshotsOf = (e: EventEnvelope): AnySnapshot[] => [...(projectSnapshots[e.name] ?? taskSnapshots[e.name] ?? timeEntrySnapshots[e.name])!(e)];

describe('projects resync (events.md › Resync)', () => {
  it("republishes every project, task and time entry of the agency as they are, tombstones included, each with its version", async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const clientId = await seedClient(db, owner.agencyId);
    await seedMember(db, owner);
    const live = (await api('POST', '/api/projects', { clientId, name: 'Live', hourlyRate: '100.00' })).body;
    const task = (await api('POST', `/api/projects/${live.id}/tasks`, { title: 'Kept' })).body;
    const logged = await api('POST', '/api/time-entries', { projectId: live.id, taskId: task.id, date: '2026-11-10', minutes: 50, description: 'Kept time' });
    expect(logged.status).toBe(201);
    const entry = logged.body;
    const erased = (await api('POST', '/api/time-entries', { projectId: live.id, date: '2026-11-10', minutes: 30 })).body;
    await api('DELETE', `/api/time-entries/${erased.id}`);
    // A running timer is no entry yet: it is not republished.
    expect((await api('POST', '/api/timers/start', { projectId: live.id })).status).toBe(201);
    await api('PATCH', `/api/projects/${live.id}`, { status: 'completed' });
    const gone = (await api('POST', '/api/projects', { clientId, name: 'Gone' })).body;
    await api('DELETE', `/api/projects/${gone.id}`);
    const dropped = (await api('POST', `/api/projects/${live.id}/tasks`, { title: 'Dropped' })).body;
    await api('DELETE', `/api/tasks/${dropped.id}`);
    const before = await outboxEvents(db, owner.agencyId);

    const [report] = await resync(db, projectsResyncSources, [owner.agencyId]);
    // No attachments, so no usage to republish.
    expect(report!.counts).toEqual({ projects: 2, tasks: 2, timeEntries: 2, attachmentUsage: 0 });
    const events = (await outboxEvents(db, owner.agencyId)).slice(before.length);
    expect(events.map((e) => e.name)).toEqual(['projects.project.resync.v1', 'projects.task.resync.v1', 'projects.time_entry.resync.v1']);
    const byId = new Map(events.flatMap(snapshotsOf).map((s) => [s.id, s]));
    expect(byId.get(live.id)).toMatchObject({ version: 2, deleted: false, data: { name: 'Live', status: 'completed', hourlyRate: '100.00' } });
    expect(byId.get(gone.id)).toMatchObject({ version: 2, deleted: true, data: { name: 'Gone' } });
    expect(byId.get(task.id)).toMatchObject({ version: 1, deleted: false, data: { clientId, projectName: 'Live', task: { title: 'Kept' } } });
    expect(byId.get(dropped.id)).toMatchObject({ version: 2, deleted: true, data: { title: 'Dropped' } });
    expect(byId.get(entry.id)).toMatchObject({ version: 1, deleted: false, data: { clientId, projectId: live.id, taskId: task.id, minutes: 50, description: 'Kept time', billingStatus: 'unbilled' } });
    expect(byId.get(erased.id)).toMatchObject({ version: 2, deleted: true, data: { clientId, timeEntryId: erased.id } });
    // The newest event of each entity before the resync carried the same version.
    for (const e of before) for (const s of snapshotsOf(e)) expect(s.version).toBeLessThanOrEqual(byId.get(s.id)!.version);

    expect((await resync(db, projectsResyncSources, [newPrincipal('owner').agencyId]))[0]!.counts).toEqual({ projects: 0, tasks: 0, timeEntries: 0, attachmentUsage: 0 });
  });
});
