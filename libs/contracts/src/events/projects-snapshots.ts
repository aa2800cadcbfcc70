import type { Project } from '../http/projects.js';
import {
  ProjectDeletedPayload,
  ProjectResyncPayload,
  ProjectSnapshotPayload,
  TaskDeletedPayload,
  TaskResyncPayload,
  TaskSnapshotPayload,
  TimeEntriesChangedPayload,
  TimeEntryDeletedPayload,
  TimeEntryResyncPayload,
  TimeEntrySnapshotPayload,
  type TimeEntrySnapshot,
} from './projects.js';
import type { EntitySnapshot, SnapshotExtractors } from './snapshots.js';

type ProjectSnapshot = EntitySnapshot<Project & { clientId: string }, ProjectDeletedPayload>;
const liveProject = (p: ProjectSnapshotPayload): ProjectSnapshot => ({ id: p.project.id, version: p.version, deleted: false, data: p.project });
const goneProject = (p: ProjectDeletedPayload): ProjectSnapshot => ({ id: p.projectId, version: p.version, deleted: true, data: p });

/** The snapshots of projects' project events, for project replicas (billing). */
export const projectSnapshots: SnapshotExtractors<Project, ProjectDeletedPayload> = {
  'projects.project.created.v1': (e) => [liveProject(ProjectSnapshotPayload.parse(e.payload))],
  'projects.project.updated.v1': (e) => [liveProject(ProjectSnapshotPayload.parse(e.payload))],
  'projects.project.deleted.v1': (e) => [goneProject(ProjectDeletedPayload.parse(e.payload))],
  'projects.project.resync.v1': (e) => {
    const p = ProjectResyncPayload.parse(e.payload);
    return [...p.projects.map(liveProject), ...p.deleted.map(goneProject)];
  },
};

type TaskSnapshot = EntitySnapshot<TaskSnapshotPayload, TaskDeletedPayload>;
const liveTask = (p: TaskSnapshotPayload): TaskSnapshot => ({ id: p.task.id, version: p.version, deleted: false, data: p });
const goneTask = (p: TaskDeletedPayload): TaskSnapshot => ({ id: p.taskId, version: p.version, deleted: true, data: p });

/** The snapshots of projects' task events, for task replicas (billing: task names on invoice lines). */
export const taskSnapshots: SnapshotExtractors<TaskSnapshotPayload, TaskDeletedPayload> = {
  'projects.task.created.v1': (e) => [liveTask(TaskSnapshotPayload.parse(e.payload))],
  'projects.task.updated.v1': (e) => [liveTask(TaskSnapshotPayload.parse(e.payload))],
  'projects.task.deleted.v1': (e) => [goneTask(TaskDeletedPayload.parse(e.payload))],
  'projects.task.resync.v1': (e) => {
    const p = TaskResyncPayload.parse(e.payload);
    return [...p.tasks.map(liveTask), ...p.deleted.map(goneTask)];
  },
};

type EntrySnapshot = EntitySnapshot<TimeEntrySnapshot & { clientId: string }, TimeEntryDeletedPayload>;
const liveEntry = (p: TimeEntrySnapshotPayload): EntrySnapshot => ({ id: p.entry.id, version: p.version, deleted: false, data: { ...p.entry, clientId: p.clientId } });
const goneEntry = (p: TimeEntryDeletedPayload): EntrySnapshot => ({ id: p.timeEntryId, version: p.version, deleted: true, data: p });

/** The snapshots of projects' time entry events, for billing's unbilled-time view. */
export const timeEntrySnapshots: SnapshotExtractors<TimeEntrySnapshot & { clientId: string }, TimeEntryDeletedPayload> = {
  'projects.time_entry.logged.v1': (e) => [liveEntry(TimeEntrySnapshotPayload.parse(e.payload))],
  'projects.time_entry.updated.v1': (e) => [liveEntry(TimeEntrySnapshotPayload.parse(e.payload))],
  'projects.time_entry.deleted.v1': (e) => [goneEntry(TimeEntryDeletedPayload.parse(e.payload))],
  'projects.time_entry.billing_changed.v1': (e) => TimeEntriesChangedPayload.parse(e.payload).entries.map(liveEntry),
  'projects.time_entry.resync.v1': (e) => {
    const p = TimeEntryResyncPayload.parse(e.payload);
    return [...p.entries.map(liveEntry), ...p.deleted.map(goneEntry)];
  },
};
