import { addDays, weekStart, type Weekday } from '@atelier/time';

export interface TimesheetWeek {
  weekStart: string;
  /** The seven work days of the week, in order. */
  days: string[];
  /** The day after the last: entries of the week have `weekStart <= date < end`. */
  end: string;
}

/** The week that contains `weekOf`, in the agency's week start (ISO weekday, 1 = Monday … 7 = Sunday). */
export function timesheetWeek(weekOf: string, weekStartsOn: Weekday): TimesheetWeek {
  const start = weekStart(weekOf, weekStartsOn);
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  return { weekStart: start, days, end: addDays(start, 7) };
}
