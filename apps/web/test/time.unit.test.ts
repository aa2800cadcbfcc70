import { describe, expect, it } from 'vitest';
import type { Timesheet } from '@atelier/contracts';
import { addDays, isIsoDay, weekdayName } from '../src/lib/components/time/calendar.js';
import { formatDuration, formatElapsed, parseDuration, spokenDuration } from '../src/lib/components/time/duration.js';
import { cellLock, entriesByCell, planCell, rowKey, sheetRows } from '../src/lib/components/time/timesheet.js';

describe('durations as people type them', () => {
  it('reads hours and minutes, decimal hours with a point or a comma, and h/m units', () => {
    expect(parseDuration('1:30')).toBe(90);
    expect(parseDuration('0:05')).toBe(5);
    expect(parseDuration('1.5')).toBe(90);
    expect(parseDuration('1,25')).toBe(75);
    expect(parseDuration('.5')).toBe(30);
    expect(parseDuration('2')).toBe(120);
    expect(parseDuration('45m')).toBe(45);
    expect(parseDuration('2h')).toBe(120);
    expect(parseDuration('1h 30m')).toBe(90);
    expect(parseDuration(' 1.75 hours ')).toBe(105);
    expect(parseDuration('')).toBe(0);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['abc', '1:75', '-1', '1:30:00', 'h', '1..5', '1 2']) expect(parseDuration(text), text).toBeNull();
  });

  it('writes minutes as h:mm, a running timer as h:mm:ss, and words for screen readers', () => {
    expect(formatDuration(90)).toBe('1:30');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(24 * 60)).toBe('24:00');
    expect(formatElapsed(3725.9)).toBe('1:02:05');
    expect(formatElapsed(-3)).toBe('0:00:00');
    expect(spokenDuration(90)).toBe('1 hour 30 minutes');
    expect(spokenDuration(120)).toBe('2 hours');
    expect(spokenDuration(1)).toBe('1 minute');
    expect(spokenDuration(0)).toBe('0 minutes');
  });
});

describe('calendar days', () => {
  it('adds days across months, years and DST changes (a calendar day has no clock)', () => {
    expect(addDays('2026-03-30', 7)).toBe('2026-04-06');
    expect(addDays('2026-01-01', -7)).toBe('2025-12-25');
    expect(addDays('2026-03-23', 7)).toBe('2026-03-30');
    expect(addDays('2024-02-26', 7)).toBe('2024-03-04');
  });

  it('knows real days from look-alikes', () => {
    expect(isIsoDay('2026-02-28')).toBe(true);
    expect(isIsoDay('2026-02-29')).toBe(false);
    expect(isIsoDay('2026-2-1')).toBe(false);
    expect(isIsoDay(null)).toBe(false);
  });

  it('names ISO weekdays 1 (Monday) to 7 (Sunday)', () => {
    const names = [1, 2, 3, 4, 5, 6, 7].map(weekdayName);
    expect(new Set(names).size).toBe(7);
    expect(weekdayName(1)).toBe(new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: 'UTC' }).format(new Date('2026-03-02T00:00:00Z')));
    expect(weekdayName(7)).toBe(new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: 'UTC' }).format(new Date('2026-03-08T00:00:00Z')));
  });
});

describe('timesheet cells', () => {
  const open = (id: string, minutes: number) => ({ id, minutes, billingStatus: 'unbilled' as const });

  it('creates an entry in an empty cell, sets or deletes a single one, and leaves an unchanged one alone', () => {
    expect(planCell([], 90)).toEqual({ kind: 'create', minutes: 90 });
    expect(planCell([], 0)).toEqual({ kind: 'none' });
    expect(planCell([open('a', 60)], 90)).toEqual({ kind: 'update', entryId: 'a', minutes: 90 });
    expect(planCell([open('a', 60)], 0)).toEqual({ kind: 'delete', entryId: 'a' });
    expect(planCell([open('a', 60)], 60)).toEqual({ kind: 'none' });
  });

  it('never guesses among several entries, and never touches one on an invoice', () => {
    expect(planCell([open('a', 30), open('b', 30)], 90)).toEqual({ kind: 'use-list', reason: 'several' });
    expect(planCell([{ id: 'a', minutes: 60, billingStatus: 'billed' }], 90)).toEqual({ kind: 'use-list', reason: 'locked' });
    expect(planCell([open('a', 30), { id: 'b', minutes: 30, billingStatus: 'reserved' }], 0)).toEqual({ kind: 'use-list', reason: 'locked' });
    expect(cellLock([open('a', 30)])).toBeNull();
  });

  it('groups entries by project, task and day, and adds rows with no time yet after the server rows', () => {
    const days = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'];
    const sheet: Timesheet = {
      userId: 'u',
      weekStart: days[0]!,
      days,
      rows: [{ projectId: 'p1', projectName: 'Site', clientId: 'c', taskId: null, taskTitle: null, minutesByDay: Object.fromEntries(days.map((d) => [d, d === days[1] ? 60 : 0])), totalMinutes: 60 }],
      totalsByDay: Object.fromEntries(days.map((d) => [d, d === days[1] ? 60 : 0])),
      totalMinutes: 60,
    };
    const rows = sheetRows(sheet, [
      { projectId: 'p1', projectName: 'Site', taskId: null, taskTitle: null },
      { projectId: 'p2', projectName: 'App', taskId: 't', taskTitle: 'Design' },
    ]);
    expect(rows.map((r) => r.key)).toEqual([rowKey('p1', null), rowKey('p2', 't')]);
    expect(rows[1]!.minutesByDay[days[6]!]).toBe(0);
    expect(rows[1]!.totalMinutes).toBe(0);

    const cells = entriesByCell([
      { projectId: 'p1', taskId: null, date: days[1]!, id: 'a' },
      { projectId: 'p1', taskId: null, date: days[1]!, id: 'b' },
      { projectId: 'p2', taskId: 't', date: days[1]!, id: 'c' },
    ] as never);
    expect(cells.get(`${rowKey('p1', null)}|${days[1]}`)?.map((e) => e.id)).toEqual(['a', 'b']);
    expect(cells.get(`${rowKey('p2', 't')}|${days[1]}`)?.map((e) => e.id)).toEqual(['c']);
  });
});
