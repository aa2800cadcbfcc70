import { Temporal } from 'temporal-polyfill';
import { addDays, plainDate, type CalendarDate } from './calendar-dates.js';
import { toDate, toInstant, type InstantInput, type Interval } from './instants.js';

/** The calendar date an instant falls on in `timeZone`: the work day of a time entry, the day of a payment. */
export function workDate(instant: InstantInput, timeZone: string): CalendarDate {
  return toInstant(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/** The year an instant falls in, in `timeZone` (invoice numbers restart with the agency's new year, not UTC's). */
export function yearOf(instant: InstantInput, timeZone: string): number {
  return toInstant(instant).toZonedDateTimeISO(timeZone).year;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Whether `value` is a wall-clock time `HH:MM` or `HH:MM:SS` (24-hour). */
export const isWallTime = (value: string): boolean => TIME.test(value);

/**
 * The instant at which the clocks in `timeZone` show `time` (`HH:MM[:SS]`) on `date`.
 *
 * Days with a DST change have wall times that happen never or twice; we follow Temporal's
 * `'compatible'` rule (the one calendars and cron use):
 * - **gap** (spring forward, e.g. 02:30 on 2026-03-29 in Europe/Berlin does not exist): the time
 *   moves forward by the length of the gap → 03:30 CEST. A reminder for 02:30 still fires that day.
 * - **fold** (fall back, e.g. 02:30 on 2026-10-25 in Europe/Berlin happens twice): the earlier of
 *   the two → 02:30 CEST (00:30Z), not 02:30 CET. Something due "at 02:30" happens once, the first time.
 */
export function instantAt(date: CalendarDate, time: string, timeZone: string): Date {
  if (!TIME.test(time)) throw new RangeError(`not an HH:MM[:SS] time: ${JSON.stringify(time)}`);
  const zoned = plainDate(date).toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) });
  return new Date(zoned.epochMilliseconds);
}

/**
 * The first instant of `date` in `timeZone`. Usually local midnight; where a DST change skips
 * midnight (America/Santiago, Asia/Beirut have done so) it is the first wall time that exists.
 */
export function startOfDay(date: CalendarDate, timeZone: string): Date {
  return toDate(plainDate(date).toZonedDateTime({ timeZone }).toInstant());
}

/** `date` in `timeZone` as a half-open interval; 23 or 25 hours long on DST days. */
export const dayInterval = (date: CalendarDate, timeZone: string): Interval => ({
  start: startOfDay(date, timeZone),
  end: startOfDay(addDays(date, 1), timeZone),
});

/** A calendar month (`month` 1–12) in `timeZone`, half-open: for monthly numbering and reports. */
export function monthInterval(year: number, month: number, timeZone: string): Interval {
  const first = Temporal.PlainDate.from({ year, month, day: 1 }, { overflow: 'reject' });
  return { start: startOfDay(first.toString(), timeZone), end: startOfDay(first.add({ months: 1 }).toString(), timeZone) };
}

/** A calendar year in `timeZone`, half-open: invoice numbering restarts at its `start`. */
export function yearInterval(year: number, timeZone: string): Interval {
  const first = Temporal.PlainDate.from({ year, month: 1, day: 1 });
  return { start: startOfDay(first.toString(), timeZone), end: startOfDay(first.add({ years: 1 }).toString(), timeZone) };
}

/**
 * The instant an invoice due on `dueDate` becomes overdue: the start of the agency's day after
 * the due date, so it is payable through the whole due date wherever the agency is.
 */
export const overdueAt = (dueDate: CalendarDate, timeZone: string): Date => startOfDay(addDays(dueDate, 1), timeZone);
