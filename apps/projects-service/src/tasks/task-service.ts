import type { CreateTaskBody, ReorderTasksBody, Task, TaskListQuery, UpdateTaskBody } from '@atelier/contracts';
import { EDITORS, decodeCursor, encodeCursor, forbiddenError, invalid, invalidField, notFoundError, tenantTx, writeEvents, type AttachmentService, type Db, type Principal, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { isMember } from '../members/member-repository.js';
import type { ProjectRow } from '../projects/project-mapper.js';
import { requireProject } from '../projects/project-service.js';
import { changedTaskFields, toTaskColumns, toTaskDto, toTaskSnapshot, type TaskRow } from './task-mapper.js';
import {
  insertTask,
  loggedMinutesOf,
  nextPosition,
  placeTasks,
  selectBoard,
  selectTask,
  selectTaskPage,
  softDeleteTask,
  taskCursorValue,
  updateTask as updateTaskRow,
} from './task-repository.js';

const COLUMN_RANK: Record<TaskRow['status'], number> = { todo: 0, in_progress: 1, blocked: 2, done: 3 };
const boardOrder = (a: TaskRow, b: TaskRow) => COLUMN_RANK[a.status] - COLUMN_RANK[b.status] || a.sortOrder! - b.sortOrder! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const taskNotFound = () => notFoundError('task.not_found', 'Task not found');

const isManager = (who: Principal) => EDITORS.includes(who.role);

/** A live task of a live project, or `task.not_found`; `lock` holds it against a concurrent delete. */
export async function requireTask(tx: Tx, id: string, lock = false): Promise<TaskRow> {
  const row = await selectTask(tx, id, lock ? 'update' : undefined);
  if (!row) throw taskNotFound();
  return row;
}

async function requireAssignable(tx: Tx, assigneeId: string | null | undefined) {
  if (assigneeId && !(await isMember(tx, assigneeId))) throw invalidField('task.assignee_not_member', 'assigneeId', 'must be a member of the agency');
}

const taskEvent = (who: Principal, project: ProjectRow, name: 'projects.task.created.v1' | 'projects.task.updated.v1', row: TaskRow, changes?: string[]) => ({
  name,
  agencyId: who.agencyId,
  actorId: who.userId,
  payload: { clientId: project.clientId, projectId: project.id, projectName: project.name, task: toTaskSnapshot(row), version: row.version, ...(changes ? { changes } : {}) },
});

const isIsoDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
const isInteger = (v: string) => /^\d{1,10}$/.test(v);

/** A project's tasks: the board's order unless sorted; one snapshot for the page and its total. */
export function listTasks(db: Db, who: Principal, projectId: string, q: TaskListQuery) {
  const sort = q.sort ?? 'sortOrder';
  const order = q.order ?? (sort === 'createdAt' || sort === 'updatedAt' || sort === 'priority' ? 'desc' : 'asc');
  const cursorKey = `tasks:${sort}:${order}`;
  const kind = sort === 'createdAt' || sort === 'updatedAt' ? 'timestamp' : sort === 'dueDate' ? isIsoDate : sort === 'title' ? 'text' : isInteger;
  const position = decodeCursor(q.cursor, cursorKey, kind);
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      await requireProject(tx, projectId);
      const { rows, total } = await selectTaskPage(tx, projectId, q, { sort, order, position, maxRows: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: cursorKey, value: taskCursorValue(last, sort), id: last.id }) : null;
      return { data: page.map(toTaskDto), nextCursor, total };
    },
    { mode: 'snapshot' },
  );
}

export function getTask(db: Db, who: Principal, id: string): Promise<Task> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const row = await selectTask(tx, id);
    if (!row) throw taskNotFound();
    return toTaskDto(row);
  });
}

/** A new task at the end of its column; any member may add one. */
export function createTask(db: Db, who: Principal, projectId: string, body: CreateTaskBody): Promise<Task> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const project = await requireProject(tx, projectId, 'board');
    await requireAssignable(tx, body.assigneeId);
    const cols = toTaskColumns(body);
    const row = await insertTask(tx, {
      ...cols,
      agencyId: who.agencyId,
      projectId,
      title: body.title,
      sortOrder: await nextPosition(tx, projectId, cols.status ?? 'todo'),
      createdBy: who.userId,
    });
    await writeEvents(tx, outbox, [taskEvent(who, project, 'projects.task.created.v1', row)]);
    return toTaskDto({ ...row, loggedMinutes: 0 });
  });
}

/** The assignee or a manager and above; a new status puts the task at the end of that column. */
export function updateTask(db: Db, who: Principal, id: string, body: UpdateTaskBody): Promise<Task> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const found = await selectTask(tx, id);
    if (!found) throw taskNotFound();
    if (!isManager(who) && found.assigneeId !== who.userId) throw forbiddenError('task.forbidden', 'Only the assignee or a manager and above may change this task');
    const cols = toTaskColumns(body);
    const moves = cols.status !== undefined && cols.status !== found.status;
    // The board lock first, then the task: the order every board write takes them in.
    const project = await requireProject(tx, found.projectId, moves ? 'board' : undefined);
    const current = await selectTask(tx, id, 'update');
    if (!current) throw taskNotFound();
    if (body.assigneeId !== undefined && body.assigneeId !== current.assigneeId) await requireAssignable(tx, body.assigneeId);
    const sortOrder = cols.status !== undefined && cols.status !== current.status ? await nextPosition(tx, current.projectId, cols.status) : undefined;
    const row = await updateTaskRow(tx, id, { ...cols, ...(sortOrder === undefined ? {} : { sortOrder }) });
    await writeEvents(tx, outbox, [taskEvent(who, project, 'projects.task.updated.v1', row, changedTaskFields(current, row))]);
    return toTaskDto({ ...row, loggedMinutes: await loggedMinutesOf(tx, id) });
  });
}

/** The creator or a manager and above; the task's attachments go with it. */
export function deleteTask(db: Db, attachments: AttachmentService, who: Principal, id: string): Promise<void> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const found = await selectTask(tx, id);
    if (!found) throw taskNotFound();
    if (!isManager(who) && found.createdBy !== who.userId) throw forbiddenError('task.forbidden', 'Only its creator or a manager and above may delete this task');
    const project = await requireProject(tx, found.projectId, 'board');
    const row = await softDeleteTask(tx, id);
    if (!row?.deletedAt) throw taskNotFound();
    await attachments.removeAllOf(tx, who.agencyId, who.userId, [{ kind: 'task', ids: [row.id] }]);
    await writeEvents(tx, outbox, [
      {
        name: 'projects.task.deleted.v1',
        agencyId: who.agencyId,
        actorId: who.userId,
        payload: { clientId: project.clientId, projectId: project.id, taskId: row.id, title: row.title, version: row.version, deletedAt: row.deletedAt.toISOString() },
      },
    ]);
  });
}

/**
 * Sets the order of column `status`: the listed tasks first, in the given order (those from other
 * columns move in), then the column's unlisted tasks in their order. The project's board lock
 * makes concurrent reorders (and creates, moves, deletes) of one board run one after the other,
 * each on the board as the previous left it, so no position is taken twice and no task is lost.
 * Moving a task to another column is changing it: its assignee or a manager and above.
 */
export function reorderTasks(db: Db, who: Principal, projectId: string, body: ReorderTasksBody): Promise<{ data: Task[] }> {
  return tenantTx(db, who.agencyId, async (tx) => {
    // One round trip: the board lock is the first statement on the wire, so the board read after it sees the board as it is.
    const [project, board] = await Promise.all([requireProject(tx, projectId, 'board'), selectBoard(tx, projectId)]);
    const byId = new Map(board.map((t) => [t.id, t]));
    const ids = body.taskIds.map((id) => id.toLowerCase());
    const unknown = ids.flatMap((id, i) => (byId.has(id) ? [] : [{ path: `taskIds.${i}`, message: 'is not a task of this project' }]));
    if (unknown.length > 0) throw invalid('task.reorder_unknown_task', 'Some tasks are not tasks of this project', unknown);
    const moved = ids.filter((id) => byId.get(id)!.status !== body.status);
    if (!isManager(who) && moved.some((id) => byId.get(id)!.assigneeId !== who.userId)) {
      throw forbiddenError('task.forbidden', 'Only the assignee or a manager and above may move a task to another column');
    }
    const listed = new Set(ids);
    const column = [...ids, ...board.filter((t) => t.status === body.status && !listed.has(t.id)).sort((a, b) => a.sortOrder! - b.sortOrder!).map((t) => t.id)];
    // Only the tasks whose place changes are written; the column ends up numbered 0..n-1.
    const placed = column.flatMap((id, position) => {
      const t = byId.get(id)!;
      return t.status === body.status && t.sortOrder === position ? [] : [{ id, position }];
    });
    const changed = await placeTasks(tx, body.status, placed.map((p) => p.id), placed.map((p) => p.position), moved);
    if (changed.length > 0) {
      const before = new Map(moved.map((id) => [id, byId.get(id)!]));
      await writeEvents(tx, outbox, changed.map((row) => taskEvent(who, project, 'projects.task.updated.v1', row, changedTaskFields(before.get(row.id)!, row))));
    }
    // The board as it is now, from the one read: a reorder changes places, statuses and versions only.
    const now = new Map(changed.map((row) => [row.id, row]));
    for (const { id, position } of placed) {
      const t = byId.get(id)!;
      byId.set(id, { ...t, ...now.get(id), status: body.status, sortOrder: position });
    }
    return { data: [...byId.values()].sort(boardOrder).map(toTaskDto) };
  });
}
