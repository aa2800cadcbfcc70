import { Money } from '@atelier/money';
import { workDate } from '@atelier/time';
import { MAX_ENTRY_MINUTES } from '@atelier/contracts';


/**
 * The whole minutes between two instants, to the nearest minute (a timer stopped after 7 min
 * 40 s logged 8). Null unless `end` is after `start`.
 */
export function minutesBetween(start: Date, end: Date): number | null {
  const ms = end.getTime() - start.getTime();
  if (!(ms > 0)) return null;
  return Math.round(ms / 60_000);
}

/** Why a duration cannot be an entry, or null when it can. */
export function durationProblem(minutes: number): string | null {
  if (!Number.isInteger(minutes)) return 'must be a whole number of minutes';
  if (minutes <= 0) return 'must be more than 0 minutes';
  if (minutes > MAX_ENTRY_MINUTES) return 'must be at most 24 hours';
  return null;
}

/**
 * The work day of an entry that started at `startedAt`: the calendar date in the agency's
 * timezone, so 23:30 UTC in Berlin is the next day. Computed once, when the entry is written.
 */
export const entryDate = (startedAt: Date, timeZone: string): string => workDate(startedAt, timeZone);

/** The amount of an entry: its frozen hourly rate × rounded minutes / 60, rounded once (half away from zero). */
export const entryAmount = (hourlyRate: string, currency: string, roundedMinutes: number): string =>
  Money.of(hourlyRate, currency).timesFraction(roundedMinutes, 60).amount;
