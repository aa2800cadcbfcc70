import { describe, expect, it } from 'vitest';
import { hoursOf as minutesToHours } from '@atelier/money';
import { durationProblem, entryAmount, entryDate, minutesBetween } from '../src/time-entries/entry-time.js';
import { timesheetWeek } from '../src/timesheet/week.js';

describe('entryDate: the work day in the agency timezone', () => {
  it.each([
    // 23:30 UTC in Berlin is 00:30 the next day (CET and CEST alike)
    ['2026-01-14T23:30:00Z', 'Europe/Berlin', '2026-01-15'],
    ['2026-07-14T22:30:00Z', 'Europe/Berlin', '2026-07-15'],
    ['2026-07-14T21:59:00Z', 'Europe/Berlin', '2026-07-14'],
    // Berlin DST days: 29 Mar (02:00 → 03:00), 25 Oct (03:00 → 02:00)
    ['2026-03-28T22:59:00Z', 'Europe/Berlin', '2026-03-28'],
    ['2026-03-28T23:00:00Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-03-29T21:59:00Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-03-29T22:00:00Z', 'Europe/Berlin', '2026-03-30'],
    ['2026-10-24T21:59:00Z', 'Europe/Berlin', '2026-10-24'],
    ['2026-10-24T22:00:00Z', 'Europe/Berlin', '2026-10-25'],
    ['2026-10-25T22:59:00Z', 'Europe/Berlin', '2026-10-25'],
    ['2026-10-25T23:00:00Z', 'Europe/Berlin', '2026-10-26'],
    // New York: 8 Mar (02:00 → 03:00), 1 Nov (02:00 → 01:00)
    ['2026-03-08T04:59:00Z', 'America/New_York', '2026-03-07'],
    ['2026-03-08T05:00:00Z', 'America/New_York', '2026-03-08'],
    ['2026-03-09T03:59:00Z', 'America/New_York', '2026-03-08'],
    ['2026-03-09T04:00:00Z', 'America/New_York', '2026-03-09'],
    ['2026-11-01T03:59:00Z', 'America/New_York', '2026-10-31'],
    ['2026-11-01T04:00:00Z', 'America/New_York', '2026-11-01'],
    ['2026-11-02T04:59:00Z', 'America/New_York', '2026-11-01'],
    ['2026-11-02T05:00:00Z', 'America/New_York', '2026-11-02'],
    // Sydney: 5 Apr (03:00 → 02:00), 4 Oct (02:00 → 03:00)
    ['2026-04-04T12:59:00Z', 'Australia/Sydney', '2026-04-04'],
    ['2026-04-04T13:00:00Z', 'Australia/Sydney', '2026-04-05'],
    ['2026-04-05T13:59:00Z', 'Australia/Sydney', '2026-04-05'],
    ['2026-04-05T14:00:00Z', 'Australia/Sydney', '2026-04-06'],
    ['2026-10-03T13:59:00Z', 'Australia/Sydney', '2026-10-03'],
    ['2026-10-03T14:00:00Z', 'Australia/Sydney', '2026-10-04'],
    ['2026-10-04T12:59:00Z', 'Australia/Sydney', '2026-10-04'],
    ['2026-10-04T13:00:00Z', 'Australia/Sydney', '2026-10-05'],
  ])('%s in %s is %s', (instant, zone, date) => {
    expect(entryDate(new Date(instant), zone)).toBe(date);
  });
});

describe('durations', () => {
  it('counts whole minutes between start and end, to the nearest minute', () => {
    const at = (t: string) => new Date(`2026-03-29T${t}Z`);
    expect(minutesBetween(at('09:00:00'), at('10:30:00'))).toBe(90);
    expect(minutesBetween(at('09:00:00'), at('09:07:40'))).toBe(8);
    expect(minutesBetween(at('09:00:00'), at('09:00:00'))).toBeNull();
    expect(minutesBetween(at('10:00:00'), at('09:00:00'))).toBeNull();
  });

  it('spans the DST gap by real elapsed time: 01:30 → 03:30 in Berlin on 29 Mar is one hour', () => {
    expect(minutesBetween(new Date('2026-03-29T00:30:00Z'), new Date('2026-03-29T01:30:00Z'))).toBe(60);
  });

  it('accepts more than 0 and at most 24 hours', () => {
    expect(durationProblem(1)).toBeNull();
    expect(durationProblem(1440)).toBeNull();
    expect(durationProblem(0)).toMatch(/more than 0/);
    expect(durationProblem(-5)).toMatch(/more than 0/);
    expect(durationProblem(1441)).toMatch(/24 hours/);
    expect(durationProblem(1.5)).toMatch(/whole/);
  });
});

describe('amounts and hours', () => {
  it('prices rounded minutes at the hourly rate, rounded once to the currency', () => {
    expect(entryAmount('120.00', 'EUR', 90)).toBe('180.00');
    expect(entryAmount('100.00', 'EUR', 7)).toBe('11.67'); // 11.666…
    expect(entryAmount('100.00', 'EUR', 1)).toBe('1.67'); // 1.666…
    expect(entryAmount('10000', 'JPY', 10)).toBe('1667');
    expect(entryAmount('12.345', 'BHD', 30)).toBe('6.173'); // 6.1725 → half away from zero
    expect(entryAmount('0.00', 'EUR', 60)).toBe('0.00');
  });

  it('shows hours as two-decimal strings', () => {
    expect(minutesToHours(75)).toBe('1.25');
    expect(minutesToHours(7)).toBe('0.12');
    expect(minutesToHours(0)).toBe('0.00');
    expect(minutesToHours(1440)).toBe('24.00');
    expect(minutesToHours(1)).toBe('0.02');
  });
});

describe('timesheetWeek', () => {
  it('starts on the agency week start', () => {
    // 2026-03-29 is a Sunday
    expect(timesheetWeek('2026-03-29', 1)).toEqual({
      weekStart: '2026-03-23',
      days: ['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29'],
      end: '2026-03-30',
    });
    expect(timesheetWeek('2026-03-29', 7).weekStart).toBe('2026-03-29');
    expect(timesheetWeek('2026-03-28', 7).weekStart).toBe('2026-03-22');
    expect(timesheetWeek('2026-03-28', 6).weekStart).toBe('2026-03-28');
  });

  it('spans a year boundary', () => {
    expect(timesheetWeek('2027-01-01', 1).days).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  });
});
