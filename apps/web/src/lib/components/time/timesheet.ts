import type { TimeEntry, Timesheet, TimesheetRow } from '@atelier/contracts';
import { isLocked } from './billing-status';

/** A row of the week grid: a project and a task (or none). */
export interface SheetRow {
  key: string;
  projectId: string;
  projectName: string;
  taskId: string | null;
  taskTitle: string | null;
  minutesByDay: Record<string, number>;
  totalMinutes: number;
}

export const rowKey = (projectId: string, taskId: string | null): string => `${projectId}:${taskId ?? ''}`;

/**
 * The grid's rows: the week's rows from the server, then rows added on this screen that have
 * no time yet (each a project and task the person is about to log on), by project and task.
 */
export function sheetRows(sheet: Timesheet, added: readonly Omit<SheetRow, 'minutesByDay' | 'totalMinutes' | 'key'>[]): SheetRow[] {
  const rows: SheetRow[] = sheet.rows.map((r: TimesheetRow) => ({ ...r, key: rowKey(r.projectId, r.taskId) }));
  const seen = new Set(rows.map((r) => r.key));
  for (const a of added) {
    const key = rowKey(a.projectId, a.taskId);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ ...a, key, minutesByDay: Object.fromEntries(sheet.days.map((d) => [d, 0])), totalMinutes: 0 });
  }
  return rows;
}

/** What typing a new total into a cell does to the entries behind it. */
export type CellPlan =
  | { kind: 'none' }
  | { kind: 'create'; minutes: number }
  | { kind: 'update'; entryId: string; minutes: number }
  | { kind: 'delete'; entryId: string }
  /** The cell cannot be edited as one number: several entries, or one on an invoice. */
  | { kind: 'use-list'; reason: 'several' | 'locked' };

/**
 * A cell is the sum of a day's entries on one project and task. With no entry, a number
 * creates one; with exactly one open entry, it sets (or, at 0, deletes) that entry. Several
 * entries (each with its own description) or one on an invoice are edited in the list, where
 * each is shown: the grid never guesses which of them to change.
 */
export function planCell(entries: readonly Pick<TimeEntry, 'id' | 'minutes' | 'billingStatus'>[], minutes: number): CellPlan {
  const reason = cellLock(entries);
  if (reason) return { kind: 'use-list', reason };
  const [entry] = entries;
  if (!entry) return minutes > 0 ? { kind: 'create', minutes } : { kind: 'none' };
  if (entry.minutes === minutes) return { kind: 'none' };
  return minutes === 0 ? { kind: 'delete', entryId: entry.id } : { kind: 'update', entryId: entry.id, minutes };
}

/** Why a cell cannot be typed into, or null when it can. */
export function cellLock(entries: readonly Pick<TimeEntry, 'billingStatus'>[]): 'several' | 'locked' | null {
  if (entries.some(isLocked)) return 'locked';
  return entries.length > 1 ? 'several' : null;
}

/** The entries of each cell, keyed `<row key>|<day>`. */
export function entriesByCell(entries: readonly TimeEntry[]): Map<string, TimeEntry[]> {
  const cells = new Map<string, TimeEntry[]>();
  for (const e of entries) {
    const key = `${rowKey(e.projectId, e.taskId)}|${e.date}`;
    const list = cells.get(key);
    if (list) list.push(e);
    else cells.set(key, [e]);
  }
  return cells;
}
