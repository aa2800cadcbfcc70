import { Temporal } from 'temporal-polyfill';

/** A calendar date, `YYYY-MM-DD` (ISO 8601), with no time zone: a work day, a due date. */
export type CalendarDate = string;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (so `2026-02-30` is not). */
export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

export const plainDate = (date: CalendarDate): Temporal.PlainDate => {
  if (!DATE.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return Temporal.PlainDate.from(date, { overflow: 'reject' });
};

export const addDays = (date: CalendarDate, days: number): CalendarDate => plainDate(date).add({ days }).toString();

/** ISO weekday numbers: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** The first day of the week that contains `date`, for weeks that start on `firstDay` (Monday unless told). */
export function weekStart(date: CalendarDate, firstDay: Weekday = 1): CalendarDate {
  const d = plainDate(date);
  return d.subtract({ days: (d.dayOfWeek - firstDay + 7) % 7 }).toString();
}
