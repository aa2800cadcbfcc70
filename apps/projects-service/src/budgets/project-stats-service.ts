import type { ProjectStats } from '@atelier/contracts';
import { hoursOf } from '@atelier/money';
import { notFoundError, tenantTx, type Db, type Principal, transactionNow } from '@atelier/platform';
import { addDays, workDate } from '@atelier/time';
import { agencyTime } from '../settings/time-settings-service.js';
import { atScale } from '../time-entries/entry-pricing.js';
import { selectCrossings, selectLiveProject, selectProjectTotals, selectTaskCounts } from './budget-repository.js';
import { budgetUsage } from './budget-service.js';
import { budgetUsedPercent, FORECAST_WINDOW_DAYS, forecastRunOutDate, usedPercentByKind } from './thresholds.js';

/** A project's numbers, read in one snapshot: hours count rounded minutes (what is billed and budgeted). */
export function projectStats(db: Db, who: Principal, projectId: string): Promise<ProjectStats> {
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const project = await selectLiveProject(tx, projectId);
      if (!project) throw notFoundError('project.not_found', 'Project not found');
      const [time, now] = await Promise.all([agencyTime(tx, who.agencyId), transactionNow(tx)]);
      const today = workDate(now, time.timezone);
      const window = { from: addDays(today, 1 - FORECAST_WINDOW_DAYS), to: today };
      const [totals, tasksByStatus, crossings] = await Promise.all([selectProjectTotals(tx, project.id, project.currency, window), selectTaskCounts(tx, project.id), selectCrossings(tx, project.id)]);
      const usage = budgetUsage(project, totals);
      const byKind = usedPercentByKind(usage);
      return {
        loggedHours: hoursOf(totals.usedMinutes),
        billableHours: hoursOf(totals.billableMinutes),
        unbilledHours: hoursOf(totals.unbilledMinutes),
        budgetHours: project.budgetHours,
        budgetAmount: project.budgetAmount === null ? null : atScale(project.budgetAmount, project.currency),
        budgetUsedPercent: budgetUsedPercent(usage),
        budgetHoursUsedPercent: byKind.hours ?? null,
        budgetAmountUsedPercent: byKind.money ?? null,
        amountUsed: atScale(totals.amountUsed, project.currency),
        currency: project.currency,
        tasksByStatus,
        forecastRunOutDate: forecastRunOutDate({ ...usage, today, recentMinutes: totals.recentMinutes, recentAmount: totals.recentAmount }),
        thresholdsCrossed: crossings.map((c) => ({ kind: c.kind, threshold: c.threshold, crossedAt: c.crossedAt.toISOString() })),
      };
    },
    { mode: 'snapshot' },
  );
}
