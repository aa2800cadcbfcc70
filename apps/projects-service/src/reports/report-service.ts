import type { SummaryTotals, TimeEntryExportQuery, TimeSummary, TimeSummaryQuery, Timesheet, TimesheetQuery } from '@atelier/contracts';
import { hoursOf, Money } from '@atelier/money';
import { forbiddenError, tenantTx, type CsvSink, type Db, type Principal, transactionNow } from '@atelier/platform';
import { workDate } from '@atelier/time';
import { weekdayOf } from '../settings/time-settings-mapper.js';
import { agencyTime } from '../settings/time-settings-service.js';
import { timesheetWeek } from '../timesheet/week.js';
import { atScale } from '../time-entries/entry-pricing.js';
import { isManager } from '../time-entries/time-entry-guards.js';
import { visibleFilters } from '../time-entries/time-entry-service.js';
import { exportColumns, exportEntryRows, selectLabels, selectSummary, selectTimesheetCells, type SummaryRow } from './report-repository.js';

function totalsOf(rows: SummaryRow[]): SummaryTotals {
  const byCurrency = new Map<string, Money>();
  let minutes = 0;
  let roundedMinutes = 0;
  let billableMinutes = 0;
  for (const r of rows) {
    minutes += r.minutes;
    roundedMinutes += r.roundedMinutes;
    billableMinutes += r.billableMinutes;
    const amount = Money.round(r.amount, r.currency);
    byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? Money.zero(r.currency)).plus(amount));
  }
  const amounts = [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)).map((m) => ({ amount: m.amount, currency: m.currency }));
  const single = amounts.length === 1 ? amounts[0] : undefined;
  return { minutes, roundedMinutes, billableMinutes, hours: hoursOf(roundedMinutes), billableHours: hoursOf(billableMinutes), amount: single?.amount ?? null, currency: single?.currency ?? null, amounts };
}

/** Totals per user, task, project or day; members see their own time only. */
export function summarize(db: Db, who: Principal, q: TimeSummaryQuery): Promise<TimeSummary> {
  const { groupBy, ...filters } = visibleFilters(who, q);
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const rows = await selectSummary(tx, filters, groupBy);
      const byKey = new Map<string | null, SummaryRow[]>();
      for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
      const labels = await selectLabels(tx, groupBy, [...byKey.keys()].filter((k): k is string => k !== null));
      const groups = [...byKey.entries()].map(([key, rs]) => ({ key, label: key === null ? null : (labels.get(key) ?? (groupBy === 'day' ? key : null)), ...totalsOf(rs) }));
      groups.sort((a, b) => (groupBy === 'day' ? String(a.key).localeCompare(String(b.key)) : (a.label ?? '\uffff').localeCompare(b.label ?? '\uffff') || String(a.key).localeCompare(String(b.key))));
      return { groupBy, from: filters.from ?? null, to: filters.to ?? null, groups, totals: totalsOf(rows) };
    },
    { mode: 'snapshot' },
  );
}

/** A user's week from the agency's week start: rows of project × task, minutes as logged per day. */
export function timesheet(db: Db, who: Principal, q: TimesheetQuery): Promise<Timesheet> {
  const userId = q.userId ?? who.userId;
  if (userId !== who.userId && !isManager(who)) throw forbiddenError('timesheet.forbidden', "Only managers and above see another member's timesheet");
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const [time, now] = await Promise.all([agencyTime(tx, who.agencyId), transactionNow(tx)]);
      const week = timesheetWeek(q.weekOf ?? workDate(now, time.timezone), weekdayOf(time.settings));
      const cells = await selectTimesheetCells(tx, userId, { start: week.weekStart, end: week.end });
      const empty = () => Object.fromEntries(week.days.map((d) => [d, 0])) as Record<string, number>;
      const rows: Timesheet['rows'] = [];
      const totalsByDay = empty();
      for (const c of cells) {
        let row = rows.at(-1);
        if (!row || row.projectId !== c.projectId || row.taskId !== c.taskId) {
          row = { projectId: c.projectId, projectName: c.projectName, clientId: c.clientId, taskId: c.taskId, taskTitle: c.taskTitle, minutesByDay: empty(), totalMinutes: 0 };
          rows.push(row);
        }
        row.minutesByDay[c.date] = (row.minutesByDay[c.date] ?? 0) + c.minutes;
        row.totalMinutes += c.minutes;
        totalsByDay[c.date] = (totalsByDay[c.date] ?? 0) + c.minutes;
      }
      return { userId, weekStart: week.weekStart, days: week.days, rows, totalsByDay, totalMinutes: rows.reduce((s, r) => s + r.totalMinutes, 0) };
    },
    { mode: 'snapshot' },
  );
}

export const EXPORT_HEADER = exportColumns.map(([label]) => label);
const RATE = EXPORT_HEADER.indexOf('Hourly rate');
const AMOUNT = EXPORT_HEADER.indexOf('Amount');
const CURRENCY = EXPORT_HEADER.indexOf('Currency');

/** The list's entries with its filters as CSV rows, from one snapshot, a cursor step in memory at a time. */
export async function exportTimeEntries(db: Db, who: Principal, q: TimeEntryExportQuery, sink: CsvSink): Promise<void> {
  const filters = visibleFilters(who, q);
  await tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      for await (const batch of exportEntryRows(tx, filters)) {
        await sink.rows(
          batch.map((row) => {
            const cells = EXPORT_HEADER.map((_, i) => row[`c${i}`] ?? null);
            const currency = String(cells[CURRENCY]);
            if (cells[RATE] !== null) cells[RATE] = atScale(String(cells[RATE]), currency);
            cells[AMOUNT] = atScale(String(cells[AMOUNT]), currency);
            return cells;
          }),
        );
      }
    },
    { mode: 'snapshot' },
  );
}
