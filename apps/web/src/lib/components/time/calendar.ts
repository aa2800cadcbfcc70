/**
 * Calendar days (`YYYY-MM-DD`) for the week screens. The arithmetic is plain UTC date math
 * rather than `@atelier/time`: its Temporal polyfill would cost 18 KB of the 100 KB first-load
 * budget for what two functions do, and a calendar day has no time zone to get wrong. Where
 * a week starts comes from the server (the timesheet answers with its `weekStart` and `days`
 * in the agency's week start); "today" is the person's own day, on their computer's clock.
 */

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day in `YYYY-MM-DD` form. */
export function isIsoDay(value: string | null | undefined): value is string {
  const m = value?.match(ISO_DAY);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** Today on this computer's calendar. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const utc = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** "2026-03-30" + 7 → "2026-04-06". */
export const addDays = (day: string, days: number): string => new Date(utc(day).getTime() + days * 86_400_000).toISOString().slice(0, 10);

const weekdayLong = new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: 'UTC' });
const weekdayShort = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

/** "Mon" */
export const shortWeekday = (day: string): string => weekdayShort.format(utc(day));
/** "Monday, 4 March": a cell's accessible name. */
export const spokenDay = (day: string): string => longDay.format(utc(day));

/** ISO weekday 1 (Monday) … 7 (Sunday) by name, in the reader's language. */
export const weekdayName = (isoWeekday: number): string => weekdayLong.format(new Date(Date.UTC(2024, 0, isoWeekday)));
