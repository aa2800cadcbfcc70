import { Temporal } from 'temporal-polyfill';

/** An instant as the rest of the code holds it: a `Date`, epoch milliseconds, or an ISO 8601 string with an offset or `Z`. */
export type InstantInput = Date | number | string;

/** A half-open span of time: `start` is in it, `end` is the first instant after it. */
export interface Interval {
  start: Date;
  end: Date;
}

export const toInstant = (value: InstantInput): Temporal.Instant => {
  if (typeof value === 'string') return Temporal.Instant.from(value);
  const ms = typeof value === 'number' ? value : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid instant');
  return Temporal.Instant.fromEpochMilliseconds(ms);
};

export const toDate = (instant: Temporal.Instant): Date => new Date(instant.epochMilliseconds);
