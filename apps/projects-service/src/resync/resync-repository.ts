import { and, asc, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '@atelier/platform';
import { projectsTable, tasks, timeEntries } from '../db/schema.js';
import type { ProjectRow } from '../projects/project-mapper.js';
import type { TaskRow } from '../tasks/task-mapper.js';
import { isLogged, type TimeEntryRow } from '../time-entries/time-entry-repository.js';

/** The agency's projects, deleted ones included, in id order after `afterId` (row-level security picks the agency). */
export const selectProjectsPage = (tx: Tx, afterId: string, limit: number): Promise<ProjectRow[]> =>
  tx.select().from(projectsTable).where(gt(projectsTable.id, afterId)).orderBy(asc(projectsTable.id)).limit(limit);

/** The agency's tasks with their project's client and name, deleted ones included, in id order after `afterId`. */
export async function selectTasksPage(tx: Tx, afterId: string, limit: number): Promise<(TaskRow & { clientId: string; projectName: string })[]> {
  const rows = await tx
    .select({ task: tasks, clientId: projectsTable.clientId, projectName: projectsTable.name })
    .from(tasks)
    .innerJoin(projectsTable, sql`${projectsTable.id} = ${tasks.projectId}`)
    .where(gt(tasks.id, afterId))
    .orderBy(asc(tasks.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.task, clientId: r.clientId, projectName: r.projectName }));
}

/** The agency's logged time entries (running timers are no entries yet) with their project's client, deleted ones included, in id order after `afterId`. */
export async function selectTimeEntriesPage(tx: Tx, afterId: string, limit: number): Promise<(TimeEntryRow & { clientId: string })[]> {
  const rows = await tx
    .select({ entry: timeEntries, clientId: projectsTable.clientId })
    .from(timeEntries)
    .innerJoin(projectsTable, sql`${projectsTable.id} = ${timeEntries.projectId}`)
    .where(and(gt(timeEntries.id, afterId), isLogged))
    .orderBy(asc(timeEntries.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.entry, clientId: r.clientId }));
}

/** Every agency with projects, read by the schema owner across agencies (tasks always belong to a project). */
export async function selectAgencyIds(owner: Db): Promise<string[]> {
  const rows = await owner.execute<{ agency_id: string }>(sql`select distinct agency_id from ${projectsTable} order by agency_id`);
  return rows.map((r) => r.agency_id);
}
