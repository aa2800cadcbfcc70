import type { ProjectStatus } from '@atelier/contracts';

/** Every project status, in the order a person thinks of them, with its words and badge. */
export const projectStatusLabels = {
  active: 'Active',
  on_hold: 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
} as const satisfies Record<ProjectStatus, string>;

export const projectStatusBadges = {
  active: 'badge-success',
  on_hold: 'badge-warning',
  completed: 'badge-primary',
  cancelled: 'badge-neutral',
} as const satisfies Record<ProjectStatus, string>;

export const projectStatuses = Object.keys(projectStatusLabels) as ProjectStatus[];

export const isProjectStatus = (v: string): v is ProjectStatus => v in projectStatusLabels;
