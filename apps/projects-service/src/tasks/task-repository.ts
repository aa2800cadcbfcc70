import { and, asc, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { TaskListQuery, TaskSortField, TaskStatus } from '@atelier/contracts';
import { anyOf, type CursorPosition, type Tx } from '@atelier/platform';
import { projectsTable, tasks, timeEntries } from '../db/schema.js';
import type { TaskColumns, TaskRow, TaskWithTime } from './task-mapper.js';

/** Rounded minutes logged on the task (a running timer counts 0 until it stops). */
const loggedMinutes = sql<number>`coalesce((select sum(${timeEntries.roundedMinutes}) from ${timeEntries} where ${timeEntries.taskId} = ${tasks.id} and ${timeEntries.deletedAt} is null), 0)::int`;

/**
 * Sort keys. `sortOrder` is the board: columns in workflow order, then position (positions stay
 * far below a million: a reorder renumbers its column from 0).
 */
export const taskSortColumns: Record<TaskSortField, SQL> = {
  sortOrder: sql`(array_position(array['todo','in_progress','blocked','done']::text[], ${tasks.status}) * 1000000 + ${tasks.sortOrder})`,
  priority: sql`array_position(array['low','medium','high','urgent']::text[], ${tasks.priority})`,
  title: sql`${tasks.title}`,
  dueDate: sql`coalesce(${tasks.dueDate}, '9999-12-31'::date)`,
  createdAt: sql`${tasks.createdAt}`,
  updatedAt: sql`${tasks.updatedAt}`,
};
const cursorCast: Record<TaskSortField, string> = { sortOrder: 'integer', priority: 'integer', title: 'text', dueDate: 'date', createdAt: 'timestamptz', updatedAt: 'timestamptz' };

export interface TaskPageRequest {
  sort: TaskSortField;
  order: 'asc' | 'desc';
  position: CursorPosition | null;
  maxRows: number;
}

/** One page of a project's live tasks with the list's filters, and the number of matches. */
export async function selectTaskPage(tx: Tx, projectId: string, q: Pick<TaskListQuery, 'status' | 'assigneeId' | 'search'>, page: TaskPageRequest): Promise<{ rows: TaskWithTime[]; total: number }> {
  const column = taskSortColumns[page.sort];
  const dir = page.order === 'asc' ? asc : desc;
  const where = and(
    eq(tasks.projectId, projectId),
    isNull(tasks.deletedAt),
    q.status ? eq(tasks.status, q.status) : undefined,
    q.assigneeId ? eq(tasks.assigneeId, q.assigneeId) : undefined,
    q.search ? sql`${tasks.title} ilike ${`%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined,
  );
  let pageWhere = where;
  if (page.position) {
    const cmp = page.order === 'asc' ? sql`>` : sql`<`;
    pageWhere = and(where, sql`(${column}, ${tasks.id}) ${cmp} (${page.position.value}::${sql.raw(cursorCast[page.sort])}, ${page.position.id}::uuid)`);
  }
  const [rows, [counted]] = await Promise.all([
    tx.select({ task: tasks, loggedMinutes }).from(tasks).where(pageWhere).orderBy(dir(column), dir(tasks.id)).limit(page.maxRows),
    tx.select({ n: count() }).from(tasks).where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r.task, loggedMinutes: r.loggedMinutes })), total: counted?.n ?? 0 };
}

/** The cursor value of a row for a sort, as `taskSortColumns` computes it. */
export function taskCursorValue(row: TaskRow, sort: TaskSortField): string {
  const statusRank = ['todo', 'in_progress', 'blocked', 'done'].indexOf(row.status) + 1;
  switch (sort) {
    case 'sortOrder':
      return String(statusRank * 1_000_000 + (row.sortOrder ?? 0));
    case 'priority':
      return String(['low', 'medium', 'high', 'urgent'].indexOf(row.priority) + 1);
    case 'dueDate':
      return row.dueDate ?? '9999-12-31';
    case 'createdAt':
      return row.createdAt.toISOString();
    case 'updatedAt':
      return row.updatedAt.toISOString();
    default:
      return row.title;
  }
}

/** Every live task of a project on its board, with logged minutes: what a reorder answers with. */
export async function selectBoard(tx: Tx, projectId: string): Promise<TaskWithTime[]> {
  const rows = await tx
    .select({ task: tasks, loggedMinutes })
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), isNull(tasks.deletedAt)))
    .orderBy(asc(taskSortColumns.sortOrder), asc(tasks.id));
  return rows.map((r) => ({ ...r.task, loggedMinutes: r.loggedMinutes }));
}

/** A live task of a live project; `update` locks the task row. */
export async function selectTask(tx: Tx, id: string, lock?: 'update'): Promise<TaskWithTime | undefined> {
  // Locked on its own first: drizzle writes `FOR UPDATE OF` schema-qualified, which Postgres refuses.
  if (lock) await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, id)).for('update');
  const [row] = await tx
    .select({ task: tasks, loggedMinutes })
    .from(tasks)
    .innerJoin(projectsTable, eq(projectsTable.id, tasks.projectId))
    .where(and(eq(tasks.id, id), isNull(tasks.deletedAt), isNull(projectsTable.deletedAt)));
  return row && { ...row.task, loggedMinutes: row.loggedMinutes };
}

export async function loggedMinutesOf(tx: Tx, taskId: string): Promise<number> {
  const [row] = await tx.select({ loggedMinutes }).from(tasks).where(eq(tasks.id, taskId));
  return row?.loggedMinutes ?? 0;
}

/** The position after the last task of a column (the caller holds the project's board lock). */
export async function nextPosition(tx: Tx, projectId: string, status: TaskStatus): Promise<number> {
  const [row] = await tx
    .select({ next: sql<number>`coalesce(max(${tasks.sortOrder}) + 1, 0)::int` })
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), eq(tasks.status, status), isNull(tasks.deletedAt)));
  return row?.next ?? 0;
}

export async function insertTask(tx: Tx, values: TaskColumns & { agencyId: string; projectId: string; title: string; sortOrder: number; createdBy: string }): Promise<TaskRow> {
  const [row] = await tx.insert(tasks).values(values).returning();
  return row!;
}

/** Writes the columns (a new position when given) and the next version. */
export async function updateTask(tx: Tx, id: string, cols: TaskColumns & { sortOrder?: number }): Promise<TaskRow> {
  const [row] = await tx
    .update(tasks)
    .set({ ...cols, version: sql`${tasks.version} + 1`, updatedAt: sql`now()` })
    .where(eq(tasks.id, id))
    .returning();
  return row!;
}

/** Takes the task off the board (no position) as a new version. */
export async function softDeleteTask(tx: Tx, id: string): Promise<TaskRow | undefined> {
  const [row] = await tx
    .update(tasks)
    .set({ deletedAt: sql`now()`, sortOrder: null, version: sql`${tasks.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(tasks.id, id), isNull(tasks.deletedAt)))
    .returning();
  return row;
}

/**
 * Puts the tasks into column `status` at the given positions in one statement (the column's
 * unique position constraint is checked at commit). The `moved` tasks change column, so their
 * snapshot changes: a new version. Returns the moved tasks as they are now.
 */
export async function placeTasks(tx: Tx, status: TaskStatus, ids: string[], positions: number[], moved: string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  // The update and the read of the moved tasks go out together; the read runs after the update.
  const placing = tx.execute(sql`
    update ${tasks} t
       set sort_order = x.position,
           status = ${status},
           version = case when t.id = any(${sql.param(moved)}::uuid[]) then t.version + 1 else t.version end,
           updated_at = case when t.id = any(${sql.param(moved)}::uuid[]) then now() else t.updated_at end
      from unnest(${sql.param(ids)}::uuid[], ${sql.param(positions)}::int[]) as x(id, position)
     where t.id = x.id and t.deleted_at is null`);
  if (moved.length === 0) {
    await placing;
    return [];
  }
  const [, rows] = await Promise.all([placing, tx.select().from(tasks).where(anyOf(tasks.id, moved))]);
  return rows;
}
