import type { ProjectResyncPayload, TaskResyncPayload, TimeEntryResyncPayload } from '@atelier/contracts';
import { republishPages, writeEvents, type ResyncSource } from '@atelier/platform';
import { agencyToday } from '../agency/agency-repository.js';
import { projectAttachmentUsage } from '../attachments/attachment-service.js';
import { outbox } from '../db/schema.js';
import { toProjectDto } from '../projects/project-mapper.js';
import { projectRatesOn } from '../rates/rates-repository.js';
import { toTaskSnapshot } from '../tasks/task-mapper.js';
import { toTimeEntrySnapshot } from '../time-entries/time-entry-mapper.js';
import { selectProjectsPage, selectTasksPage, selectTimeEntriesPage } from './resync-repository.js';

/** projects' snapshots for a resync (events.md › Resync): every project, task and time entry of the agency (billing's unbilled view), tombstones included, and its attachment usage. */
export const projectsResyncSources: ResyncSource[] = [
  {
    entity: 'projects',
    republish: (tx, agencyId) =>
      republishPages(tx, selectProjectsPage, async (rows) => {
        const rates = await projectRatesOn(tx, rows.map((r) => r.id), await agencyToday(tx));
        const payload: ProjectResyncPayload = {
          projects: rows.filter((r) => !r.deletedAt).map((r) => ({ clientId: r.clientId, project: toProjectDto(r, rates.get(r.id) ?? null), version: r.version })),
          deleted: rows.flatMap((r) => (r.deletedAt ? [{ clientId: r.clientId, projectId: r.id, name: r.name, version: r.version, deletedAt: r.deletedAt.toISOString() }] : [])),
        };
        return writeEvents(tx, outbox, [{ name: 'projects.project.resync.v1', agencyId, actorId: null, payload }]);
      }),
  },
  {
    entity: 'tasks',
    republish: (tx, agencyId) =>
      republishPages(tx, selectTasksPage, (rows) => {
        const payload: TaskResyncPayload = {
          tasks: rows.filter((r) => !r.deletedAt).map((r) => ({ clientId: r.clientId, projectId: r.projectId, projectName: r.projectName, task: toTaskSnapshot(r), version: r.version })),
          deleted: rows.flatMap((r) =>
            r.deletedAt ? [{ clientId: r.clientId, projectId: r.projectId, taskId: r.id, title: r.title, version: r.version, deletedAt: r.deletedAt.toISOString() }] : [],
          ),
        };
        return writeEvents(tx, outbox, [{ name: 'projects.task.resync.v1', agencyId, actorId: null, payload }]);
      }),
  },
  {
    entity: 'timeEntries',
    republish: (tx, agencyId) =>
      republishPages(tx, selectTimeEntriesPage, (rows) => {
        const payload: TimeEntryResyncPayload = {
          entries: rows.filter((r) => !r.deletedAt).map((r) => ({ clientId: r.clientId, projectId: r.projectId, entry: toTimeEntrySnapshot(r), version: r.version })),
          deleted: rows.flatMap((r) => (r.deletedAt ? [{ clientId: r.clientId, projectId: r.projectId, timeEntryId: r.id, version: r.version, deletedAt: r.deletedAt.toISOString() }] : [])),
        };
        return writeEvents(tx, outbox, [{ name: 'projects.time_entry.resync.v1', agencyId, actorId: null, payload }]);
      }),
  },
  projectAttachmentUsage.resyncSource(),
];
