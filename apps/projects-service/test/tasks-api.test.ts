import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '@atelier/contracts';
import type { Db } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService, type TestPrincipal } from '@atelier/platform/testing';
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

const as = (who: TestPrincipal) => serviceClient(h.url, who);

async function newBoard() {
  const owner = newPrincipal('owner');
  await seedMember(db, owner);
  const clientId = await seedClient(db, owner.agencyId);
  const projectId = (await as(owner)('POST', '/api/projects', { clientId, name: 'Website Redesign' })).body.id as string;
  return { owner, clientId, projectId, api: as(owner) };
}

const columns = (tasks: Task[]) => {
  const by: Record<string, string[]> = { todo: [], in_progress: [], blocked: [], done: [] };
  for (const t of [...tasks].sort((a, b) => a.sortOrder - b.sortOrder)) by[t.status]!.push(t.title);
  return by;
};

describe('tasks API', () => {
  it('adds tasks at the end of their column, reads, lists, updates and deletes them, with versioned events', async () => {
    const { owner, clientId, projectId, api } = await newBoard();
    const a = await api('POST', `/api/projects/${projectId}/tasks`, { title: 'Wireframes', priority: 'high', assigneeId: owner.userId, dueDate: '2026-12-20', estimatedHours: '6.5' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ projectId, title: 'Wireframes', status: 'todo', priority: 'high', assigneeId: owner.userId, estimatedHours: '6.50', sortOrder: 0, loggedHours: '0.00', createdBy: owner.userId });
    const b = (await api('POST', `/api/projects/${projectId}/tasks`, { title: 'Copy' })).body;
    expect(b).toMatchObject({ sortOrder: 1, priority: 'medium', assigneeId: null });
    expect((await api('POST', `/api/projects/${projectId}/tasks`, { title: 'Deploy', status: 'done' })).body.sortOrder).toBe(0);
    expect((await api('GET', `/api/tasks/${a.body.id}`)).body).toEqual(a.body);

    const moved = await api('PATCH', `/api/tasks/${b.id}`, { status: 'done', description: 'Final copy' });
    expect(moved.body).toMatchObject({ status: 'done', sortOrder: 1, description: 'Final copy' });
    const list = (await api('GET', `/api/projects/${projectId}/tasks`)).body;
    expect(list.total).toBe(3);
    expect(list.data.map((t: Task) => t.title)).toEqual(['Wireframes', 'Deploy', 'Copy']);
    expect((await api('GET', `/api/projects/${projectId}/tasks?status=done&sort=title`)).body.data.map((t: Task) => t.title)).toEqual(['Copy', 'Deploy']);
    expect((await api('GET', `/api/projects/${projectId}/tasks?assigneeId=${owner.userId}`)).body.data.map((t: Task) => t.title)).toEqual(['Wireframes']);

    expect((await api('DELETE', `/api/tasks/${b.id}`)).status).toBe(204);
    expect((await api('GET', `/api/tasks/${b.id}`)).status).toBe(404);
    const events = (await outboxEvents(db, owner.agencyId)).filter((e) => e.name.startsWith('projects.task.'));
    const copy = events.filter((e) => JSON.stringify(e.payload).includes(b.id));
    expect(copy.map((e) => [e.name, (e.payload as { version: number }).version])).toEqual([
      ['projects.task.created.v1', 1],
      ['projects.task.updated.v1', 2],
      ['projects.task.deleted.v1', 3],
    ]);
    expect(copy[1]!.payload).toMatchObject({ clientId, projectId, projectName: 'Website Redesign', changes: ['description', 'status'], task: { status: 'done' } });
    expect(copy[1]!.payload).not.toHaveProperty('task.sortOrder');
  });

  it('refuses an assignee who is not a member with 400 on assigneeId', async () => {
    const { owner, projectId, api } = await newBoard();
    const stranger = newPrincipal('member');
    const removed = newPrincipal('member', owner.agencyId);
    await seedMember(db, removed);
    const res = await api('POST', `/api/projects/${projectId}/tasks`, { title: 'X', assigneeId: stranger.userId });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'task.assignee_not_member', errors: [{ path: 'assigneeId' }] });
    const task = (await api('POST', `/api/projects/${projectId}/tasks`, { title: 'X', assigneeId: removed.userId })).body;
    expect((await api('PATCH', `/api/tasks/${task.id}`, { assigneeId: stranger.userId })).body.errors).toEqual([{ path: 'assigneeId', message: 'must be a member of the agency' }]);
  });

  it('lets the assignee or a manager update a task, and its creator or a manager delete it', async () => {
    const { owner, projectId, api } = await newBoard();
    const assignee = newPrincipal('member', owner.agencyId);
    const creator = newPrincipal('member', owner.agencyId);
    const other = newPrincipal('member', owner.agencyId);
    const manager = newPrincipal('manager', owner.agencyId);
    for (const p of [assignee, creator, other]) await seedMember(db, p);
    const task = (await as(creator)('POST', `/api/projects/${projectId}/tasks`, { title: 'Shared', assigneeId: assignee.userId })).body;
    expect(task.createdBy).toBe(creator.userId);

    expect((await as(other)('GET', `/api/tasks/${task.id}`)).status).toBe(200);
    expect((await as(other)('PATCH', `/api/tasks/${task.id}`, { title: 'Mine' })).body).toMatchObject({ status: 403, code: 'task.forbidden' });
    expect((await as(creator)('PATCH', `/api/tasks/${task.id}`, { title: 'Mine' })).status).toBe(403);
    expect((await as(assignee)('PATCH', `/api/tasks/${task.id}`, { status: 'in_progress' })).status).toBe(200);
    expect((await as(manager)('PATCH', `/api/tasks/${task.id}`, { priority: 'urgent' })).status).toBe(200);
    expect((await api('PATCH', `/api/tasks/${task.id}`, { priority: 'low' })).status).toBe(200);

    expect((await as(assignee)('DELETE', `/api/tasks/${task.id}`)).status).toBe(403);
    expect((await as(other)('DELETE', `/api/tasks/${task.id}`)).status).toBe(403);
    expect((await as(creator)('DELETE', `/api/tasks/${task.id}`)).status).toBe(204);
    const second = (await as(creator)('POST', `/api/projects/${projectId}/tasks`, { title: 'Second' })).body;
    expect((await as(manager)('DELETE', `/api/tasks/${second.id}`)).status).toBe(204);

    // Moving another's task to another column is changing it; reordering within a column is not.
    const theirs = (await as(creator)('POST', `/api/projects/${projectId}/tasks`, { title: 'Theirs', assigneeId: assignee.userId })).body;
    const mine = (await as(other)('POST', `/api/projects/${projectId}/tasks`, { title: 'Mine', assigneeId: other.userId })).body;
    expect((await as(other)('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'done', taskIds: [theirs.id] })).body).toMatchObject({ status: 403, code: 'task.forbidden' });
    expect((await as(other)('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'todo', taskIds: [mine.id, theirs.id] })).status).toBe(200);
    expect((await as(other)('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'done', taskIds: [mine.id] })).status).toBe(200);
  });

  it('reorders within a column and moves tasks across columns in one request, keeping unlisted tasks', async () => {
    const { owner, clientId, projectId, api } = await newBoard();
    const ids: Record<string, string> = {};
    for (const title of ['A', 'B', 'C', 'D']) ids[title] = (await api('POST', `/api/projects/${projectId}/tasks`, { title })).body.id;
    ids.E = (await api('POST', `/api/projects/${projectId}/tasks`, { title: 'E', status: 'in_progress' })).body.id;
    const before = (await outboxEvents(db, owner.agencyId, 'projects.task.updated.v1')).length;

    const within = await api('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'todo', taskIds: [ids.C, ids.A, ids.D, ids.B] });
    expect(within.status).toBe(200);
    expect(columns(within.body.data)).toEqual({ todo: ['C', 'A', 'D', 'B'], in_progress: ['E'], blocked: [], done: [] });
    // A move within a column changes no snapshot field: no event.
    expect((await outboxEvents(db, owner.agencyId, 'projects.task.updated.v1')).length).toBe(before);

    // B goes to In progress above E; the list names only B, E keeps its place after it.
    const across = await api('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'in_progress', taskIds: [ids.B] });
    expect(columns(across.body.data)).toEqual({ todo: ['C', 'A', 'D'], in_progress: ['B', 'E'], blocked: [], done: [] });
    // The answer is the board as stored.
    expect(across.body.data).toEqual((await api('GET', `/api/projects/${projectId}/tasks?limit=200`)).body.data);
    const moved = await outboxEvents(db, owner.agencyId, 'projects.task.updated.v1');
    expect(moved.slice(before).map((e) => e.payload)).toEqual([expect.objectContaining({ clientId, changes: ['status'], version: 2, task: expect.objectContaining({ id: ids.B, status: 'in_progress' }) })]);
    expect((await api('GET', `/api/projects/${projectId}/tasks?status=in_progress`)).body.data.map((t: Task) => [t.title, t.sortOrder])).toEqual([
      ['B', 0],
      ['E', 1],
    ]);

    const unknown = await api('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'todo', taskIds: [ids.A, '00000000-0000-4000-8000-000000000000'] });
    expect(unknown.body).toMatchObject({ status: 400, code: 'task.reorder_unknown_task', errors: [{ path: 'taskIds.1' }] });
    const twice = await api('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'todo', taskIds: [ids.A, ids.A] });
    expect(twice.body.errors).toEqual([{ path: 'taskIds', message: 'must not name a task twice' }]);
    const otherBoard = await newBoard();
    const foreignTask = (await otherBoard.api('POST', `/api/projects/${otherBoard.projectId}/tasks`, { title: 'Foreign' })).body.id;
    expect((await api('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'todo', taskIds: [foreignTask] })).body.code).toBe('task.reorder_unknown_task');
  });

  it('stays consistent under concurrent reorders: no duplicate position, no lost task', async () => {
    const { projectId, api } = await newBoard();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await api('POST', `/api/projects/${projectId}/tasks`, { title: `T${i}`, status: i < 15 ? 'todo' : 'in_progress' })).body.id);
    const todo = ids.slice(0, 15);
    const doing = ids.slice(15);
    // Two people drag at once, many times over: one reverses To do and pulls three tasks from In
    // progress into it, the other moves five To do tasks to Done and shuffles In progress.
    const rounds = 8;
    const results = await Promise.all(
      Array.from({ length: rounds }, (_, r) => [
        api('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'todo', taskIds: [...doing.slice(r % 3, (r % 3) + 3), ...[...todo].reverse()] }),
        api('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'done', taskIds: todo.slice(r, r + 5) }),
        api('POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'in_progress', taskIds: [...doing].reverse() }),
      ]).flat(),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    const board: Task[] = (await api('GET', `/api/projects/${projectId}/tasks?limit=200`)).body.data;
    expect(board.map((t) => t.id).sort()).toEqual([...ids].sort());
    for (const status of ['todo', 'in_progress', 'blocked', 'done']) {
      const positions = board.filter((t) => t.status === status).map((t) => t.sortOrder);
      expect(new Set(positions).size, status).toBe(positions.length);
    }
    // Each answer was a whole, consistent board too.
    for (const r of results) expect((r.body.data as Task[]).map((t) => t.id).sort()).toEqual([...ids].sort());
  });

  it('answers invalid bodies with 400 naming each field, and cross-agency tasks with 404', async () => {
    const { projectId, api } = await newBoard();
    const task = (await api('POST', `/api/projects/${projectId}/tasks`, { title: 'Valid' })).body;
    const cases: [string, string, unknown, string[]][] = [
      ['POST', `/api/projects/${projectId}/tasks`, { title: ' ' }, ['title']],
      ['POST', `/api/projects/${projectId}/tasks`, { title: 'X', status: 'doing' }, ['status']],
      ['POST', `/api/projects/${projectId}/tasks`, { title: 'X', priority: 'meh', dueDate: '2026-02-30' }, ['priority', 'dueDate']],
      ['POST', `/api/projects/${projectId}/tasks`, { title: 'X', estimatedHours: '1.234' }, ['estimatedHours']],
      ['PATCH', `/api/tasks/${task.id}`, { assigneeId: 'nobody' }, ['assigneeId']],
      ['POST', `/api/projects/${projectId}/tasks/reorder`, { status: 'todo', taskIds: ['x'] }, ['taskIds.0']],
      ['POST', `/api/projects/${projectId}/tasks/reorder`, { taskIds: [] }, ['status']],
    ];
    for (const [method, path, body, paths] of cases) {
      const res = await api(method, path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toEqual(paths);
    }
    expect((await api('GET', `/api/projects/${projectId}/tasks?sort=size`)).body.errors[0].path).toBe('query.sort');
    const first = (await api('GET', `/api/projects/${projectId}/tasks?limit=1`)).body;
    expect(first.nextCursor).toBeNull();

    const stranger = as(newPrincipal('owner'));
    for (const [method, body] of [['GET', undefined], ['PATCH', { title: 'Mine' }], ['DELETE', undefined]] as const) {
      expect((await stranger(method, `/api/tasks/${task.id}`, body)).status, method).toBe(404);
    }
  });
});
