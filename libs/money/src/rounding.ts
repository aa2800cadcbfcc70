import type { Big } from 'big.js';

/**
 * How a value with more decimals than the currency has becomes an amount.
 * - `halfAwayFromZero`: to the nearest, a tie away from zero (2.345 → 2.35, -2.345 → -2.35).
 *   Invoices use it (see INVOICE_ROUNDING): it is what tax authorities and accountants expect.
 * - `halfEven`: to the nearest, a tie to the even digit (banker's rounding; 2.345 → 2.34).
 * - `up`: away from zero; `down`: towards zero (truncation).
 * - `ceil`: towards +∞; `floor`: towards −∞.
 * The first four are symmetric: a negative amount rounds to the negation of what its
 * absolute value rounds to, so a credit note mirrors its invoice cent for cent. `ceil` and
 * `floor` are directional by definition and therefore not symmetric.
 */
export type RoundingMode = 'halfAwayFromZero' | 'halfEven' | 'up' | 'down' | 'ceil' | 'floor';

export const ROUNDING_MODES: readonly RoundingMode[] = ['halfAwayFromZero', 'halfEven', 'up', 'down', 'ceil', 'floor'];

/** The rounding of every invoice amount: line amounts, discount, tax and totals. */
export const INVOICE_ROUNDING: RoundingMode = 'halfAwayFromZero';

// big.js rounds the magnitude (its modes are symmetric); ceil and floor pick by sign.
const ROUND_DOWN = 0;
const ROUND_HALF_UP = 1;
const ROUND_HALF_EVEN = 2;
const ROUND_UP = 3;

export function roundTo(value: Big, decimals: number, mode: RoundingMode): Big {
  return value.round(decimals, bigMode(mode, value.s < 0));
}

function bigMode(mode: RoundingMode, negative: boolean): 0 | 1 | 2 | 3 {
  switch (mode) {
    case 'halfAwayFromZero':
      return ROUND_HALF_UP;
    case 'halfEven':
      return ROUND_HALF_EVEN;
    case 'up':
      return ROUND_UP;
    case 'down':
      return ROUND_DOWN;
    case 'ceil':
      return negative ? ROUND_DOWN : ROUND_UP;
    case 'floor':
      return negative ? ROUND_UP : ROUND_DOWN;
  }
}
