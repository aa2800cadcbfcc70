import { z } from 'zod';
import { CurrencyCode, Hours, Money, Percent, Timestamp, Uuid } from '../common.js';
import { BudgetKind, BudgetThreshold, Project } from '../http/projects.js';
import { Task } from '../http/tasks.js';
import { TimeEntry } from '../http/time-entries.js';

const Version = z.number().int().positive();

/**
 * Project events carry the whole project after the change and its version (events.md ›
 * Snapshots); `changes` (updates) names the fields that changed, so the timeline can say
 * "Project Website Redesign completed".
 */
export const ProjectSnapshotPayload = z.object({
  clientId: Uuid,
  project: Project,
  version: Version,
  changes: z.array(z.string()).optional(),
});
export type ProjectSnapshotPayload = z.infer<typeof ProjectSnapshotPayload>;
export const ProjectDeletedPayload = z.object({ clientId: Uuid, projectId: Uuid, name: z.string(), version: Version, deletedAt: Timestamp });
export type ProjectDeletedPayload = z.infer<typeof ProjectDeletedPayload>;

/**
 * A task as other services keep it: its position on the board and its logged hours are left
 * out, as they change with every drag and every entry and no other service reads them.
 */
export const TaskSnapshot = Task.omit({ sortOrder: true, loggedHours: true });
export type TaskSnapshot = z.infer<typeof TaskSnapshot>;
export const TaskSnapshotPayload = z.object({
  clientId: Uuid,
  projectId: Uuid,
  projectName: z.string(),
  task: TaskSnapshot,
  version: Version,
  changes: z.array(z.string()).optional(),
});
export type TaskSnapshotPayload = z.infer<typeof TaskSnapshotPayload>;
export const TaskDeletedPayload = z.object({ clientId: Uuid, projectId: Uuid, taskId: Uuid, title: z.string(), version: Version, deletedAt: Timestamp });
export type TaskDeletedPayload = z.infer<typeof TaskDeletedPayload>;

/** A time entry as billing's unbilled-time view keeps it; `version` grows with every change, a billing one included. */
export const TimeEntrySnapshot = TimeEntry.omit({ hours: true });
export type TimeEntrySnapshot = z.infer<typeof TimeEntrySnapshot>;
export const TimeEntrySnapshotPayload = z.object({ clientId: Uuid, projectId: Uuid, entry: TimeEntrySnapshot, version: Version });
export type TimeEntrySnapshotPayload = z.infer<typeof TimeEntrySnapshotPayload>;
export const TimeEntryDeletedPayload = z.object({ clientId: Uuid, projectId: Uuid, timeEntryId: Uuid, version: Version, deletedAt: Timestamp });
export type TimeEntryDeletedPayload = z.infer<typeof TimeEntryDeletedPayload>;

/**
 * A project's hours or money budget passed `threshold` % (once per threshold and kind, however
 * often edits cross it back and forth). `budget` and `used` are hours for `hours`, amounts in
 * `currency` for `money`.
 */
export const BudgetThresholdCrossedPayload = z.object({
  clientId: Uuid,
  projectId: Uuid,
  projectName: z.string(),
  kind: BudgetKind,
  threshold: BudgetThreshold,
  usedPercent: Percent,
  budget: z.union([Hours, Money]),
  used: z.union([Hours, Money]),
  currency: CurrencyCode,
  crossedAt: Timestamp,
});
export type BudgetThresholdCrossedPayload = z.infer<typeof BudgetThresholdCrossedPayload>;

/** Resync (events.md › Resync): the current state of an agency's projects, tasks or entries, tombstones included. */
export const ProjectResyncPayload = z.object({ projects: z.array(ProjectSnapshotPayload), deleted: z.array(ProjectDeletedPayload) });
export type ProjectResyncPayload = z.infer<typeof ProjectResyncPayload>;
export const TaskResyncPayload = z.object({ tasks: z.array(TaskSnapshotPayload), deleted: z.array(TaskDeletedPayload) });
export type TaskResyncPayload = z.infer<typeof TaskResyncPayload>;
export const TimeEntryResyncPayload = z.object({ entries: z.array(TimeEntrySnapshotPayload), deleted: z.array(TimeEntryDeletedPayload) });
export type TimeEntryResyncPayload = z.infer<typeof TimeEntryResyncPayload>;

/**
 * Bulk work: billing's events moved many entries at once (a draft reserved them, an invoice was
 * voided); one event carries each entry's new snapshot with its own version. Resync events
 * name no client (they are about many), the bulk event names the invoice's.
 */
/**
 * Why projects did not put an entry an invoice event listed on that invoice: it `changed` since
 * billing saw it (the version, minutes or amount differ: an edit slipped in before the
 * reservation, so billing must refresh the line, never bill the old value), it is on another
 * live invoice, or it was deleted.
 */
export const ReservationRefusal = z.object({
  timeEntryId: Uuid,
  /** The version the invoice named, and the entry's own (null once deleted or unknown). */
  invoicedVersion: z.number().int().positive(),
  currentVersion: z.number().int().positive().nullable(),
  reason: z.enum(['changed', 'on_another_invoice', 'deleted']),
});
export type ReservationRefusal = z.infer<typeof ReservationRefusal>;

export const TimeEntriesChangedPayload = z.object({
  clientId: Uuid,
  invoiceId: Uuid.nullable(),
  entries: z.array(TimeEntrySnapshotPayload),
  /** Entries the invoice event named that were not taken (absent on events that refused none). */
  refused: z.array(ReservationRefusal).optional(),
});
export type TimeEntriesChangedPayload = z.infer<typeof TimeEntriesChangedPayload>;

export const projectsEvents = {
  'projects.project.created.v1': ProjectSnapshotPayload,
  'projects.project.updated.v1': ProjectSnapshotPayload,
  'projects.project.deleted.v1': ProjectDeletedPayload,
  'projects.project.resync.v1': ProjectResyncPayload,
  'projects.task.created.v1': TaskSnapshotPayload,
  'projects.task.updated.v1': TaskSnapshotPayload,
  'projects.task.deleted.v1': TaskDeletedPayload,
  'projects.task.resync.v1': TaskResyncPayload,
  'projects.time_entry.logged.v1': TimeEntrySnapshotPayload,
  'projects.time_entry.updated.v1': TimeEntrySnapshotPayload,
  'projects.time_entry.deleted.v1': TimeEntryDeletedPayload,
  'projects.time_entry.billing_changed.v1': TimeEntriesChangedPayload,
  'projects.time_entry.resync.v1': TimeEntryResyncPayload,
  'projects.budget.threshold_crossed.v1': BudgetThresholdCrossedPayload,
} as const;
