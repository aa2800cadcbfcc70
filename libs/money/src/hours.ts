import { MoneyError } from './errors.js';
import { parseDecimal } from './decimal.js';
import { roundTo } from './rounding.js';

/**
 * Whole minutes as the decimal hours the API shows: 90 → "1.50", 20 → "0.33", half away from
 * zero. Exact in integers (hundredths of an hour = minutes × 100 / 60), and cheap: a board shows
 * it for every task.
 */
export function hoursOf(minutes: number): string {
  if (!Number.isSafeInteger(minutes) || Math.abs(minutes) > 9e13) throw new MoneyError('money.unsafe_integer', `${minutes} is not a whole number of minutes`);
  const magnitude = Math.abs(minutes);
  const hundredths = Math.floor((magnitude * 100 + 30) / 60);
  const text = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
  return minutes < 0 && hundredths > 0 ? `-${text}` : text;
}

/** Decimal hours ("1.25") as whole minutes (half away from zero): what budgets and estimates are compared in. */
export function minutesOf(hours: string): number {
  return Number(roundTo(parseDecimal(hours, 'hours').times('60'), 0, 'halfAwayFromZero').toFixed(0));
}
