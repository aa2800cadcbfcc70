import { Temporal } from 'temporal-polyfill';

/**
 * Whether `name` is an IANA time zone this runtime knows (`Europe/Berlin`, `UTC`). Fixed offsets
 * such as `+02:00` are refused: an agency lives in a place whose offset changes with DST, and a
 * stored offset would silently stop following it.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    Temporal.Now.zonedDateTimeISO(name);
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a valid zone (`europe/berlin` → `Europe/Berlin`); throws RangeError for anything else. */
export function canonicalTimeZone(name: string): string {
  if (!isTimeZone(name)) throw new RangeError(`unknown time zone: ${JSON.stringify(name)}`);
  return Temporal.Now.zonedDateTimeISO(name).timeZoneId;
}
