import { api } from '$lib/api';
import { clientNames } from '$lib/components/clients/client-names.svelte';
import type { Members } from '$lib/components/projects/members.svelte';
import { nameCache } from '$lib/data/name-cache.svelte';
import type { Project, Task } from '@atelier/contracts';

/**
 * Project and task names by id for screens whose rows carry only ids (time entries, rate
 * cards; people's names come with `useMembers`).
 */
export const projectNames = nameCache(async (id) => (await api<Project>(`/api/projects/${encodeURIComponent(id)}`)).name, 'Deleted project');
export const taskTitles = nameCache(async (id) => (await api<Task>(`/api/tasks/${encodeURIComponent(id)}`)).title, 'Deleted task');
export const rememberProjects = (projects: readonly Pick<Project, 'id' | 'name'>[]): void => projectNames.remember(projects.map((p) => [p.id, p.name]));
export const rememberTasks = (tasks: readonly Pick<Task, 'id' | 'title'>[]): void => taskTitles.remember(tasks.map((t) => [t.id, t.title]));

/** The names a rate card's target is described with (`appliesTo`); "…" while one loads. */
export function rateTargetNames(members: Pick<Members, 'name'>) {
  return {
    client: (id: string) => clientNames.get(id) ?? '…',
    project: (id: string) => projectNames.get(id) ?? '…',
    member: (id: string) => members.name(id),
  };
}
