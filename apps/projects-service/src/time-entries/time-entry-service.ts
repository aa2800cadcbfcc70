import type { CreateTimeEntryBody, TimeEntryListQuery, TimeEntrySortField, UpdateTimeEntryBody } from '@atelier/contracts';
import { conflictError, decodeCursor, encodeCursor, invalid, invalidField, notFoundError, tenantTx, type Db, type JobRunner, type Principal, type Tx, transactionNow } from '@atelier/platform';
import { workDate } from '@atelier/time';
import { announceCrossings } from '../budgets/budget-service.js';
import { agencyTime, type AgencyTime } from '../settings/time-settings-service.js';
import { durationProblem, entryDate, minutesBetween } from './entry-time.js';
import { priceEntry } from './entry-pricing.js';
import { entryEvent, writeEntryEvents } from './time-entry-events.js';
import { isManager, requireActFor } from './time-entry-guards.js';
import {
  insertEntry,
  lockProjects,
  selectCandidateCards,
  selectEntry,
  selectEntryPage,
  selectMember,
  selectProjectClientId,
  selectTaskProject,
  updateEntry,
  type EntryFilters,
  type ProjectRef,
  type TimeEntryRow,
} from './time-entry-repository.js';

export interface TimeDeps {
  db: Db;
  jobs: JobRunner;
}

export const entryNotFound = () => notFoundError('time_entry.not_found', 'Time entry not found');
const projectNotFound = () => notFoundError('project.not_found', 'Project not found');

/** 409 naming the invoice: "billed on invoice INV-2026-0007", "reserved on a draft invoice (<id>)". */
export function entryLocked(row: Pick<TimeEntryRow, 'billingStatus' | 'invoiceId' | 'invoiceNumber'>) {
  const invoice = row.invoiceNumber ? `invoice ${row.invoiceNumber}` : `draft invoice ${row.invoiceId}`;
  return conflictError('time_entry.locked', `The entry is ${row.billingStatus} on ${invoice}; it cannot change until the invoice lets it go`);
}

/** The project an entry is logged on: live, active (time goes only on active projects), and the task, if any, its own. */
export async function requireLoggableProject(tx: Tx, projectId: string, taskId: string | null, locked?: ProjectRef[]): Promise<ProjectRef> {
  const project = (locked ?? (await lockProjects(tx, [projectId]))).find((p) => p.id === projectId);
  if (!project) throw projectNotFound();
  if (project.status !== 'active') throw invalidField('project.not_active', 'projectId', `is ${project.status.replace('_', ' ')}; time is logged only on active projects`);
  if (taskId && (await selectTaskProject(tx, taskId)) !== project.id) throw invalidField('task.not_in_project', 'taskId', 'is not a task of this project');
  return project;
}

/** A duration the entry may have, or a 400 naming the field it came from. */
function checkMinutes(minutes: number | null, path: string): number {
  const problem = minutes === null ? 'must be after startedAt' : durationProblem(minutes);
  if (problem) throw invalid('time_entry.too_long', 'An entry is more than 0 and at most 24 hours', [{ path, message: problem }]);
  return minutes as number;
}

/** Rounding, rate and amount frozen on the entry now, from the rule and the cards in force today. */
export async function priced(tx: Tx, time: AgencyTime, project: ProjectRef, row: Pick<TimeEntryRow, 'userId' | 'date' | 'minutes' | 'isBillable'>) {
  const cards = await selectCandidateCards(tx, { projectId: project.id, clientId: project.clientId, userId: row.userId });
  return priceEntry({ projectId: project.id, clientId: project.clientId, userId: row.userId, date: row.date, minutes: row.minutes, isBillable: row.isBillable, projectCurrency: project.currency }, time.settings.rounding, cards);
}

const defaultOrder = (sort: TimeEntrySortField) => (sort === 'date' || sort === 'createdAt' || sort === 'updatedAt' ? 'desc' : 'asc');

const cursorValue = (row: TimeEntryRow, sort: TimeEntrySortField): string => {
  switch (sort) {
    case 'createdAt':
      return row.createdAt.toISOString();
    case 'updatedAt':
      return row.updatedAt.toISOString();
    case 'minutes':
      return String(row.minutes);
    default:
      return row.date;
  }
};

const cursorCheck = (sort: TimeEntrySortField) =>
  sort === 'createdAt' || sort === 'updatedAt' ? 'timestamp' : sort === 'minutes' ? (v: string) => /^\d{1,9}$/.test(v) : (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

/** Members see their own time only; managers and above anyone's (and every member's with no `userId`). */
export function visibleFilters<Q extends { userId?: string | undefined }>(who: Principal, q: Q): Q {
  if (isManager(who)) return q;
  requireActFor(who, q.userId ?? who.userId);
  return { ...q, userId: who.userId };
}

export function listTimeEntries(db: Db, who: Principal, q: TimeEntryListQuery) {
  const sort = q.sort ?? 'date';
  const order = q.order ?? defaultOrder(sort);
  const key = `entries:${sort}:${order}`;
  const position = decodeCursor(q.cursor, key, cursorCheck(sort));
  const filters: EntryFilters = visibleFilters(who, q);
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const { rows, total } = await selectEntryPage(tx, filters, { sort, order, position, maxRows: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return { rows: page, total, nextCursor: rows.length > q.limit && last ? encodeCursor({ key, value: cursorValue(last, sort), id: last.id }) : null };
    },
    { mode: 'snapshot' },
  );
}

export async function getTimeEntry(db: Db, who: Principal, id: string): Promise<TimeEntryRow> {
  const row = await tenantTx(db, who.agencyId, (tx) => selectEntry(tx, id));
  if (!row) throw entryNotFound();
  requireActFor(who, row.userId);
  return row;
}

/** Runs a time write and wakes the job runner after commit when it queued budget mail. */
async function withMail<T>(deps: TimeDeps, who: Principal, fn: (tx: Tx, announce: (projects: ProjectRef[], now: Date) => Promise<void>) => Promise<T>): Promise<T> {
  let mail = false;
  const result = await tenantTx(deps.db, who.agencyId, (tx) =>
    fn(tx, async (projects, now) => {
      mail = (await announceCrossings(tx, { agencyId: who.agencyId, actorId: who.userId, jobs: deps.jobs }, projects, now)) || mail;
    }),
  );
  if (mail) deps.jobs.wake();
  return result;
}

export function createTimeEntry(deps: TimeDeps, who: Principal, body: CreateTimeEntryBody): Promise<TimeEntryRow> {
  const userId = body.userId ?? who.userId;
  requireActFor(who, userId);
  return withMail(deps, who, async (tx, announce) => {
    if (userId !== who.userId) {
      const member = await selectMember(tx, userId);
      if (!member || member.removed) throw invalidField('time_entry.user_not_member', 'userId', 'is not a member of the agency');
    }
    const project = await requireLoggableProject(tx, body.projectId, body.taskId ?? null);
    const [time, now] = await Promise.all([agencyTime(tx, who.agencyId), transactionNow(tx)]);
    const interval = body.startedAt !== undefined && body.endedAt !== undefined ? { start: new Date(body.startedAt), end: new Date(body.endedAt) } : null;
    const minutes = interval ? checkMinutes(minutesBetween(interval.start, interval.end), 'endedAt') : checkMinutes(body.minutes ?? null, 'minutes');
    const date = interval ? entryDate(interval.start, time.timezone) : (body.date ?? workDate(now, time.timezone));
    const isBillable = body.isBillable ?? (project.isBillable && time.settings.defaultBillable);
    const base = { userId, date, minutes, isBillable };
    const price = await priced(tx, time, project, base);
    const row = await insertEntry(tx, {
      agencyId: who.agencyId,
      projectId: project.id,
      taskId: body.taskId ?? null,
      ...base,
      ...price,
      startedAt: interval?.start ?? null,
      endedAt: interval?.end ?? null,
      description: body.description ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await writeEntryEvents(tx, [entryEvent('projects.time_entry.logged.v1', who.agencyId, who.userId, row, project.clientId)]);
    await announce([project], now);
    return row;
  });
}

/**
 * Edits an unbilled entry. The rounding rule and the rate in force now are applied again: an
 * edit is a new logging of the time (changing the agency's rule never touches entries nobody
 * edits). Reserved and billed entries are read-only: 409 naming the invoice.
 */
export function updateTimeEntry(deps: TimeDeps, who: Principal, id: string, body: UpdateTimeEntryBody): Promise<TimeEntryRow> {
  return withMail(deps, who, async (tx, announce) => {
    const row = await selectEntry(tx, id, true);
    if (!row) throw entryNotFound();
    requireActFor(who, row.userId);
    if (row.billingStatus !== 'unbilled') throw entryLocked(row);
    const projectId = body.projectId ?? row.projectId;
    const taskId = body.taskId !== undefined ? body.taskId : row.taskId;
    const locked = await lockProjects(tx, [row.projectId, projectId]);
    const project = await requireLoggableProject(tx, projectId, taskId, locked);
    const [time, now] = await Promise.all([agencyTime(tx, who.agencyId), transactionNow(tx)]);
    const next: TimeEntryRow = { ...row, projectId, taskId };
    if (body.startedAt !== undefined && body.endedAt !== undefined) {
      next.startedAt = new Date(body.startedAt);
      next.endedAt = new Date(body.endedAt);
      next.minutes = checkMinutes(minutesBetween(next.startedAt, next.endedAt), 'endedAt');
      next.date = entryDate(next.startedAt, time.timezone);
    } else if (body.minutes !== undefined || body.date !== undefined) {
      // A new duration or day replaces the interval: the entry is "n minutes on a day" from now on.
      next.minutes = checkMinutes(body.minutes ?? row.minutes, 'minutes');
      next.date = body.date ?? row.date;
      next.startedAt = null;
      next.endedAt = null;
    }
    if (body.description !== undefined) next.description = body.description;
    if (body.isBillable !== undefined) next.isBillable = body.isBillable;
    Object.assign(next, await priced(tx, time, project, next));
    next.version = row.version + 1;
    next.updatedAt = now;
    const saved = await updateEntry(tx, next);
    await writeEntryEvents(tx, [entryEvent('projects.time_entry.updated.v1', who.agencyId, who.userId, saved, project.clientId)]);
    await announce(locked, now);
    return saved;
  });
}

export function deleteTimeEntry(deps: TimeDeps, who: Principal, id: string): Promise<void> {
  return withMail(deps, who, async (tx) => {
    const row = await selectEntry(tx, id, true);
    if (!row) throw entryNotFound();
    requireActFor(who, row.userId);
    if (row.billingStatus !== 'unbilled') throw entryLocked(row);
    const [project] = await lockProjects(tx, [row.projectId]);
    const now = await transactionNow(tx);
    const saved = await updateEntry(tx, { ...row, deletedAt: now, updatedAt: now, version: row.version + 1 });
    await writeEntryEvents(tx, [
      {
        name: 'projects.time_entry.deleted.v1',
        agencyId: who.agencyId,
        actorId: who.userId,
        payload: { clientId: project?.clientId ?? (await selectProjectClientId(tx, row.projectId)), projectId: row.projectId, timeEntryId: row.id, version: saved.version, deletedAt: now.toISOString() },
      },
    ]);
  });
}
