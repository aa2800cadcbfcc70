import { hoursOf } from '@atelier/money';
import type { CreateTaskBody, Task, UpdateTaskBody } from '@atelier/contracts';
import type { TaskSnapshot } from '@atelier/contracts';
import type { tasks } from '../db/schema.js';

export type TaskRow = typeof tasks.$inferSelect;
/** A task with the rounded minutes logged on it. */
export type TaskWithTime = TaskRow & { loggedMinutes: number };

export const toTaskDto = (row: TaskWithTime): Task => ({
  id: row.id,
  projectId: row.projectId,
  title: row.title,
  description: row.description,
  status: row.status,
  priority: row.priority,
  assigneeId: row.assigneeId,
  dueDate: row.dueDate,
  estimatedHours: row.estimatedHours,
  sortOrder: row.sortOrder ?? 0,
  loggedHours: hoursOf(row.loggedMinutes),
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** What other services keep of a task (no position, no logged hours): what its events carry. */
export const toTaskSnapshot = (row: TaskRow): TaskSnapshot => {
  const { sortOrder: _position, loggedHours: _logged, ...snapshot } = toTaskDto({ ...row, loggedMinutes: 0 });
  return snapshot;
};

export type TaskColumns = Partial<Pick<TaskRow, 'title' | 'description' | 'status' | 'priority' | 'assigneeId' | 'dueDate' | 'estimatedHours'>>;

/** Only the fields present in the body: an absent field is left as it is, `null` clears it. */
export function toTaskColumns(body: CreateTaskBody | UpdateTaskBody): TaskColumns {
  const cols: TaskColumns = {};
  if (body.title !== undefined) cols.title = body.title;
  if (body.description !== undefined) cols.description = body.description;
  if (body.status !== undefined) cols.status = body.status;
  if (body.priority !== undefined) cols.priority = body.priority;
  if (body.assigneeId !== undefined) cols.assigneeId = body.assigneeId?.toLowerCase() ?? null;
  if (body.dueDate !== undefined) cols.dueDate = body.dueDate;
  if (body.estimatedHours !== undefined) cols.estimatedHours = body.estimatedHours;
  return cols;
}

/** The snapshot fields whose values differ between two states of a task, for `changes` on the update event. */
export function changedTaskFields(before: TaskRow, after: TaskRow): string[] {
  const a = toTaskSnapshot(before);
  const b = toTaskSnapshot(after);
  return (Object.keys(b) as (keyof TaskSnapshot)[]).filter((k) => k !== 'updatedAt' && k !== 'createdAt' && a[k] !== b[k]);
}
