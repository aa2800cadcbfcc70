import Big from 'big.js';
import { MoneyError } from './errors.js';

/**
 * Our own big.js constructor, so no other code's settings leak in. Strict: it refuses JS
 * numbers (a float is never money) and exponential input. The division precision only
 * matters for ratios; amounts themselves are multiplied and rounded, never divided.
 */
export const Decimal = Big();
Decimal.strict = true;
Decimal.DP = 40;
Decimal.NE = -50;
Decimal.PE = 50;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A plain decimal string: optional minus, digits, optional fraction. No exponent, no `+`, no spaces, no grouping. */
export function parseDecimal(text: string, what = 'value'): Big {
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    throw new MoneyError('money.invalid_decimal', `${what} must be a decimal string such as "1250.00", got ${JSON.stringify(text)}`);
  }
  return new Decimal(text);
}

export function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}
