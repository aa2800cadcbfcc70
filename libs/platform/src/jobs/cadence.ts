import { addDays, instantAt, isTimeZone, isWallTime, workDate } from '@atelier/time';

/**
 * When a schedule fires. Slots are instants; a schedule fires its latest slot that is not in the
 * future and has not fired yet (after downtime it catches up once, not once per missed slot).
 * - `every`: every N minutes, on multiples of N since the Unix epoch (so :00, :15, :30 … for 15).
 * - `daily`: at a wall-clock time in an IANA zone, right on DST days: a time in the spring-forward
 *   gap moves forward by the gap, a time in the fall-back fold fires once, at the earlier instant
 *   (`instantAt` in libs/time).
 */
export type Cadence = { every: { minutes: number } } | { daily: { at: string; timeZone: string } };

export const everyMinutes = (minutes: number): Cadence => ({ every: { minutes } });
export const dailyAt = (at: string, timeZone: string): Cadence => ({ daily: { at, timeZone } });

export function assertCadence(cadence: Cadence): void {
  if ('every' in cadence) {
    const m = cadence.every.minutes;
    if (!Number.isInteger(m) || m < 1) throw new RangeError(`schedule: every ${m} minutes is not a whole number of minutes ≥ 1`);
  } else {
    if (!isWallTime(cadence.daily.at)) throw new RangeError(`schedule: ${JSON.stringify(cadence.daily.at)} is not HH:MM[:SS]`);
    if (!isTimeZone(cadence.daily.timeZone)) throw new RangeError(`schedule: unknown time zone ${JSON.stringify(cadence.daily.timeZone)}`);
  }
}

/** The latest slot of `cadence` at or before `now`. */
export function latestSlot(cadence: Cadence, now: Date): Date {
  if ('every' in cadence) {
    const step = cadence.every.minutes * 60_000;
    return new Date(Math.floor(now.getTime() / step) * step);
  }
  const { at, timeZone } = cadence.daily;
  const today = workDate(now, timeZone);
  const slot = instantAt(today, at, timeZone);
  return slot.getTime() <= now.getTime() ? slot : instantAt(addDays(today, -1), at, timeZone);
}
