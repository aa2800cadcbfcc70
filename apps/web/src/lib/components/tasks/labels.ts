import type { TaskPriority, TaskStatus } from '@atelier/contracts';

/** The board's columns, left to right. */
export const taskStatusLabels = {
  todo: 'To do',
  in_progress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
} as const satisfies Record<TaskStatus, string>;

export const taskStatuses = Object.keys(taskStatusLabels) as TaskStatus[];

export const taskPriorityLabels = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
} as const satisfies Record<TaskPriority, string>;

export const taskPriorities = Object.keys(taskPriorityLabels) as TaskPriority[];

export const taskPriorityBadges = {
  low: 'badge-neutral',
  medium: 'badge-primary',
  high: 'badge-warning',
  urgent: 'badge-danger',
} as const satisfies Record<TaskPriority, string>;

export const isTaskStatus = (v: string): v is TaskStatus => v in taskStatusLabels;
