import { z } from 'zod';
import { Hours, IsoDate, Timestamp, Uuid, listQuery, listResponse, optionalText } from '../common.js';

export const TaskStatus = z.enum(['todo', 'in_progress', 'blocked', 'done']);
export type TaskStatus = z.infer<typeof TaskStatus>;
export const TaskPriority = z.enum(['low', 'medium', 'high', 'urgent']);
export type TaskPriority = z.infer<typeof TaskPriority>;

/** `sortOrder` is the position in its status column (0 first); `loggedHours` counts the task's rounded minutes. */
export const Task = z
  .object({
    id: Uuid,
    projectId: Uuid,
    title: z.string(),
    description: z.string().nullable(),
    status: TaskStatus,
    priority: TaskPriority,
    assigneeId: Uuid.nullable(),
    dueDate: IsoDate.nullable(),
    estimatedHours: Hours.nullable(),
    sortOrder: z.number().int(),
    loggedHours: Hours,
    createdBy: Uuid.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;

const taskFields = {
  title: z.string().trim().min(1, 'is required').max(500),
  description: optionalText(20_000),
  status: TaskStatus.optional(),
  priority: TaskPriority.optional(),
  assigneeId: Uuid.nullable().optional(),
  dueDate: IsoDate.nullable().optional(),
  estimatedHours: Hours.nullable().optional(),
};

/** A new task goes to the end of its status column (`todo` by default). */
export const CreateTaskBody = z.object(taskFields).strict().meta({ id: 'CreateTaskBody' });
export type CreateTaskBody = z.infer<typeof CreateTaskBody>;
/** A status change moves the task to the end of its new column; `reorder` places it anywhere. */
export const UpdateTaskBody = z
  .object({ ...taskFields, title: taskFields.title.optional() })
  .strict()
  .meta({ id: 'UpdateTaskBody' });
export type UpdateTaskBody = z.infer<typeof UpdateTaskBody>;

export const TaskSortField = ['sortOrder', 'createdAt', 'updatedAt', 'dueDate', 'priority', 'title'] as const;
export type TaskSortField = (typeof TaskSortField)[number];
/** Without `sort`, tasks come as the board shows them: by status column, then position. */
export const TaskListQuery = listQuery(TaskSortField).extend({ status: TaskStatus.optional(), assigneeId: Uuid.optional() });
export type TaskListQuery = z.infer<typeof TaskListQuery>;
export const TaskList = listResponse(Task);

/**
 * The column `status` as it should read after a drag, top to bottom. Listed tasks from other
 * columns move into it; tasks of the column the list does not name (one added meanwhile) keep
 * their order after the listed ones, so a concurrent drag never loses a task.
 */
export const ReorderTasksBody = z
  .object({
    status: TaskStatus,
    taskIds: z
      .array(Uuid)
      .max(1000)
      .refine((ids) => new Set(ids).size === ids.length, 'must not name a task twice'),
  })
  .strict()
  .meta({ id: 'ReorderTasksBody' });
export type ReorderTasksBody = z.infer<typeof ReorderTasksBody>;
/** Every task of the project after the reorder, as the board shows them. */
export const ReorderTasksResult = z.object({ data: z.array(Task) }).meta({ id: 'ReorderTasksResult' });
export type ReorderTasksResult = z.infer<typeof ReorderTasksResult>;
