import { describe, expect, it } from 'vitest';
import {
  addDays,
  canonicalTimeZone,
  dayInterval,
  instantAt,
  isCalendarDate,
  isTimeZone,
  isWallTime,
  monthInterval,
  overdueAt,
  startOfDay,
  weekStart,
  workDate,
  yearInterval,
  yearOf,
} from '../src/index.js';

const iso = (d: Date) => d.toISOString();
const hours = (i: { start: Date; end: Date }) => (i.end.getTime() - i.start.getTime()) / 3_600_000;

// 2026 DST changes: Berlin 29 Mar (02:00 → 03:00) and 25 Oct (03:00 → 02:00); New York 8 Mar
// (02:00 → 03:00) and 1 Nov (02:00 → 01:00); Sydney 5 Apr (03:00 → 02:00) and 4 Oct (02:00 → 03:00).
describe('workDate', () => {
  it.each([
    ['2026-03-28T23:30:00Z', 'Europe/Berlin', '2026-03-29'], // 00:30 CET
    ['2026-03-29T21:59:59Z', 'Europe/Berlin', '2026-03-29'], // 23:59:59 CEST
    ['2026-03-29T22:00:00Z', 'Europe/Berlin', '2026-03-30'],
    ['2026-10-25T22:59:00Z', 'Europe/Berlin', '2026-10-25'], // 23:59 CET
    ['2026-11-02T04:30:00Z', 'America/New_York', '2026-11-01'], // 23:30 EST
    ['2026-11-01T04:30:00Z', 'America/New_York', '2026-11-01'], // 00:30 EDT
    ['2026-04-04T13:30:00Z', 'Australia/Sydney', '2026-04-05'], // 00:30 AEDT
    ['2026-10-03T13:30:00Z', 'Australia/Sydney', '2026-10-03'], // 23:30 AEST
  ])('%s in %s is %s', (instant, zone, date) => {
    expect(workDate(instant, zone)).toBe(date);
    expect(workDate(new Date(instant), zone)).toBe(date);
    expect(workDate(new Date(instant).getTime(), zone)).toBe(date);
  });

  it('refuses an invalid instant', () => {
    expect(() => workDate(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('instantAt', () => {
  it('keeps 09:00 local on both sides of each DST change', () => {
    expect(iso(instantAt('2026-03-28', '09:00', 'Europe/Berlin'))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(instantAt('2026-03-29', '09:00', 'Europe/Berlin'))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(instantAt('2026-10-24', '09:00', 'Europe/Berlin'))).toBe('2026-10-24T07:00:00.000Z');
    expect(iso(instantAt('2026-10-25', '09:00', 'Europe/Berlin'))).toBe('2026-10-25T08:00:00.000Z');
    expect(iso(instantAt('2026-03-08', '09:00', 'America/New_York'))).toBe('2026-03-08T13:00:00.000Z');
    expect(iso(instantAt('2026-04-05', '09:00', 'Australia/Sydney'))).toBe('2026-04-04T23:00:00.000Z');
    expect(iso(instantAt('2026-10-04', '09:00:30', 'Australia/Sydney'))).toBe('2026-10-03T22:00:30.000Z');
  });

  it('moves a time in a DST gap forward by the gap', () => {
    expect(iso(instantAt('2026-03-29', '02:30', 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(iso(instantAt('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    expect(iso(instantAt('2026-10-04', '02:00', 'Australia/Sydney'))).toBe('2026-10-03T16:00:00.000Z'); // 03:00 AEDT
  });

  it('takes the earlier instant of a time that happens twice', () => {
    expect(iso(instantAt('2026-10-25', '02:30', 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z'); // CEST, not CET
    expect(iso(instantAt('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z'); // EDT, not EST
    expect(iso(instantAt('2026-04-05', '02:30', 'Australia/Sydney'))).toBe('2026-04-04T15:30:00.000Z'); // AEDT, not AEST
  });

  it('refuses malformed dates and times', () => {
    expect(() => instantAt('2026-02-30', '09:00', 'UTC')).toThrow(RangeError);
    expect(() => instantAt('2026-3-1', '09:00', 'UTC')).toThrow(RangeError);
    expect(() => instantAt('2026-03-01', '24:00', 'UTC')).toThrow(RangeError);
    expect(() => instantAt('2026-03-01', '9:00', 'UTC')).toThrow(RangeError);
    expect(() => instantAt('2026-03-01', '09:00', 'Nowhere/City')).toThrow(RangeError);
  });
});

describe('days, months and years in a time zone', () => {
  it('gives DST days 23 and 25 hours', () => {
    expect(hours(dayInterval('2026-03-29', 'Europe/Berlin'))).toBe(23);
    expect(hours(dayInterval('2026-10-25', 'Europe/Berlin'))).toBe(25);
    expect(hours(dayInterval('2026-03-08', 'America/New_York'))).toBe(23);
    expect(hours(dayInterval('2026-11-01', 'America/New_York'))).toBe(25);
    expect(hours(dayInterval('2026-04-05', 'Australia/Sydney'))).toBe(25);
    expect(hours(dayInterval('2026-10-04', 'Australia/Sydney'))).toBe(23);
    expect(hours(dayInterval('2026-06-01', 'Europe/Berlin'))).toBe(24);
  });

  it('starts a day whose midnight a DST change skips at its first existing wall time', () => {
    // Chile springs forward at midnight: 2026-09-06 starts at 01:00 local (-03:00).
    expect(iso(startOfDay('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
  });

  it('bounds months and years in the zone, not in UTC', () => {
    const march = monthInterval(2026, 3, 'Europe/Berlin');
    expect(iso(march.start)).toBe('2026-02-28T23:00:00.000Z');
    expect(iso(march.end)).toBe('2026-03-31T22:00:00.000Z');
    const year = yearInterval(2027, 'Australia/Sydney');
    expect(iso(year.start)).toBe('2026-12-31T13:00:00.000Z');
    expect(iso(year.end)).toBe('2027-12-31T13:00:00.000Z');
    expect(iso(yearInterval(2026, 'America/New_York').end)).toBe('2027-01-01T05:00:00.000Z');
    expect(() => monthInterval(2026, 13, 'UTC')).toThrow(RangeError);
  });

  it('numbers by the year in the agency zone', () => {
    expect(yearOf('2026-12-31T13:30:00Z', 'Australia/Sydney')).toBe(2027);
    expect(yearOf('2026-12-31T13:30:00Z', 'America/New_York')).toBe(2026);
    expect(yearOf('2027-01-01T04:59:59Z', 'America/New_York')).toBe(2026);
  });

  it('makes an invoice overdue at the start of the agency day after its due date', () => {
    expect(iso(overdueAt('2026-03-28', 'Europe/Berlin'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(overdueAt('2026-03-29', 'Europe/Berlin'))).toBe('2026-03-29T22:00:00.000Z');
    expect(iso(overdueAt('2026-12-31', 'Australia/Sydney'))).toBe('2026-12-31T13:00:00.000Z');
  });
});

describe('calendar dates', () => {
  it('validates YYYY-MM-DD', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(isCalendarDate('2026-02-03T00:00')).toBe(false);
  });

  it('adds days across months, years and DST changes', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('finds the start of a timesheet week', () => {
    expect(weekStart('2026-03-29')).toBe('2026-03-23'); // a Sunday, Monday weeks
    expect(weekStart('2026-03-23')).toBe('2026-03-23');
    expect(weekStart('2026-03-29', 7)).toBe('2026-03-29'); // Sunday weeks
    expect(weekStart('2026-03-28', 7)).toBe('2026-03-22');
    expect(weekStart('2027-01-01')).toBe('2026-12-28');
  });

  it('validates wall-clock times', () => {
    expect(isWallTime('09:00')).toBe(true);
    expect(isWallTime('23:59:59')).toBe(true);
    expect(isWallTime('24:00')).toBe(false);
    expect(isWallTime('9:00')).toBe(false);
  });
});

describe('time zones', () => {
  it('accepts IANA names and nothing else', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('+02:00')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('canonicalises the spelling', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(() => canonicalTimeZone('Europe/Atlantis')).toThrow(RangeError);
  });
});
