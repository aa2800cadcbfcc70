import type { StartTimerBody } from '@atelier/contracts';
import { MAX_ENTRY_MINUTES } from '@atelier/contracts';
import { Money } from '@atelier/money';
import { conflictError, tenantTx, type Db, type Principal, type Tx, transactionNow } from '@atelier/platform';
import { workDate } from '@atelier/time';
import { announceCrossings } from '../budgets/budget-service.js';
import { agencyTime, type AgencyTime } from '../settings/time-settings-service.js';
import { entryDate, minutesBetween } from '../time-entries/entry-time.js';
import { entryEvent, writeEntryEvents } from '../time-entries/time-entry-events.js';
import { priced, requireLoggableProject, type TimeDeps } from '../time-entries/time-entry-service.js';
import { insertEntry, lockProjects, selectProjectClientId, updateEntry, type ProjectRef, type TimeEntryRow } from '../time-entries/time-entry-repository.js';
import { lockUserTimers, selectRunningTimer } from './timer-repository.js';

const DAY_MS = MAX_ENTRY_MINUTES * 60_000;

/**
 * A timer becomes an entry: it ends now, or 24 hours after it started if it was forgotten
 * (an entry is at most a day); under a minute counts as one, since an entry is more than
 * nothing. The work day is the day it started, in the agency's timezone.
 */
async function stopRunning(tx: Tx, who: Principal, time: AgencyTime, running: TimeEntryRow, projects: ProjectRef[], now: Date): Promise<TimeEntryRow> {
  const startedAt = running.startedAt ?? now;
  const endedAt = new Date(Math.max(startedAt.getTime() + 1, Math.min(now.getTime(), startedAt.getTime() + DAY_MS)));
  const minutes = Math.min(MAX_ENTRY_MINUTES, Math.max(1, minutesBetween(startedAt, endedAt) ?? 1));
  const next: TimeEntryRow = { ...running, endedAt, minutes, date: entryDate(startedAt, time.timezone), updatedAt: now, version: running.version + 1 };
  const project = projects.find((p) => p.id === running.projectId);
  const clientId = project?.clientId ?? (await selectProjectClientId(tx, running.projectId));
  if (project) Object.assign(next, await priced(tx, time, project, next));
  const saved = await updateEntry(tx, next);
  await writeEntryEvents(tx, [entryEvent('projects.time_entry.logged.v1', who.agencyId, who.userId, saved, clientId)]);
  return saved;
}

export interface StartedTimerResult {
  timer: TimeEntryRow;
  stopped: TimeEntryRow | null;
  now: Date;
}

/** Starts the caller's timer; one that runs is stopped first (both returned). One running timer per user, whatever the concurrency. */
export async function startTimer(deps: TimeDeps, who: Principal, body: StartTimerBody): Promise<StartedTimerResult> {
  let mail = false;
  const result = await tenantTx(deps.db, who.agencyId, async (tx) => {
    await lockUserTimers(tx, who.agencyId, who.userId);
    const running = await selectRunningTimer(tx, who.userId, true);
    const locked = await lockProjects(tx, running ? [body.projectId, running.projectId] : [body.projectId]);
    const project = await requireLoggableProject(tx, body.projectId, body.taskId ?? null, locked);
    const [time, now] = await Promise.all([agencyTime(tx, who.agencyId), transactionNow(tx)]);
    const stopped = running ? await stopRunning(tx, who, time, running, locked, now) : null;
    const timer = await insertEntry(tx, {
      agencyId: who.agencyId,
      projectId: project.id,
      taskId: body.taskId ?? null,
      userId: who.userId,
      date: workDate(now, time.timezone),
      minutes: 0,
      roundedMinutes: 0,
      startedAt: now,
      endedAt: null,
      description: body.description ?? null,
      isBillable: body.isBillable ?? (project.isBillable && time.settings.defaultBillable),
      currency: project.currency,
      amount: Money.zero(project.currency).amount,
      createdAt: now,
      updatedAt: now,
    });
    if (stopped) mail = await announceCrossings(tx, { agencyId: who.agencyId, actorId: who.userId, jobs: deps.jobs }, locked.filter((p) => p.id === stopped.projectId), now);
    return { timer, stopped, now };
  });
  if (mail) deps.jobs.wake();
  return result;
}

export async function stopTimer(deps: TimeDeps, who: Principal): Promise<TimeEntryRow> {
  let mail = false;
  const entry = await tenantTx(deps.db, who.agencyId, async (tx) => {
    await lockUserTimers(tx, who.agencyId, who.userId);
    const running = await selectRunningTimer(tx, who.userId, true);
    if (!running) throw conflictError('timer.not_running', 'You have no running timer');
    const locked = await lockProjects(tx, [running.projectId]);
    const [time, now] = await Promise.all([agencyTime(tx, who.agencyId), transactionNow(tx)]);
    const stopped = await stopRunning(tx, who, time, running, locked, now);
    mail = await announceCrossings(tx, { agencyId: who.agencyId, actorId: who.userId, jobs: deps.jobs }, locked, now);
    return stopped;
  });
  if (mail) deps.jobs.wake();
  return entry;
}

export function currentTimer(db: Db, who: Principal): Promise<{ timer: TimeEntryRow | null; now: Date }> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const [timer, now] = await Promise.all([selectRunningTimer(tx, who.userId), transactionNow(tx)]);
    return { timer: timer ?? null, now };
  });
}
