import type { Timer } from '@atelier/contracts';
import type { TimeEntryRow } from '../time-entries/time-entry-repository.js';

/** Elapsed time by the server's clock: every tab and device shows the same timer. */
export const toTimerDto = (row: TimeEntryRow, now: Date): Timer => {
  const startedAt = row.startedAt ?? now;
  return {
    id: row.id,
    projectId: row.projectId,
    taskId: row.taskId,
    userId: row.userId,
    description: row.description,
    isBillable: row.isBillable,
    startedAt: startedAt.toISOString(),
    elapsedSeconds: Math.max(0, Math.floor((now.getTime() - startedAt.getTime()) / 1000)),
    serverNow: now.toISOString(),
  };
};
