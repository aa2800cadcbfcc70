import { Decimal, decimalsOf, parseDecimal } from './decimal.js';
import { MoneyError } from './errors.js';
import { Money } from './money.js';

/**
 * Splits an amount by ratios so the parts add up to exactly the amount: each part gets
 * its share rounded towards zero, then the minor units left over go one each to the parts
 * with the largest remainders (the earlier part on a tie). Negative amounts split like
 * their absolute value, negated. Ratios are non-negative decimal strings or integers,
 * at least one positive; a zero ratio gets zero.
 *
 *   allocate(EUR 100.00, ["1", "1", "1"]) → 33.34, 33.33, 33.33
 */
export function allocate(amount: Money, ratios: readonly (string | number)[]): Money[] {
  const weights = integerWeights(ratios);
  const total = weights.reduce((a, b) => a + b, 0n);
  if (total === 0n) throw new MoneyError('money.invalid_ratios', 'allocation needs at least one positive ratio');

  const units = amount.minorUnitsExact();
  const sign = units < 0n ? -1n : 1n;
  const magnitude = units * sign;
  const shares = weights.map((w) => (magnitude * w) / total);
  const remainders = weights.map((w, index) => ({ index, rest: (magnitude * w) % total }));
  let left = magnitude - shares.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return shares.map((share) => Money.fromMinorUnits(share * sign, amount.currency));
}

/** Splits an amount into `parts` parts as equal as the minor unit allows. */
export function split(amount: Money, parts: number): Money[] {
  if (!Number.isSafeInteger(parts) || parts < 1) throw new MoneyError('money.invalid_ratios', `cannot split into ${parts} parts`);
  return allocate(amount, Array.from({ length: parts }, () => 1));
}

/** Ratios as integers on a common scale, so shares and remainders are exact integer division. */
function integerWeights(ratios: readonly (string | number)[]): bigint[] {
  if (ratios.length === 0) throw new MoneyError('money.invalid_ratios', 'allocation needs at least one ratio');
  const texts = ratios.map((r) => {
    if (typeof r === 'number') {
      if (!Number.isSafeInteger(r)) throw new MoneyError('money.invalid_ratios', `ratio ${r} must be an integer or a decimal string`);
      return String(r);
    }
    return r;
  });
  const scale = Math.max(...texts.map(decimalsOf));
  return texts.map((text) => {
    const value = parseDecimal(text, 'ratio');
    if (value.lt('0')) throw new MoneyError('money.invalid_ratios', `ratio ${text} must not be negative`);
    return BigInt(value.times(new Decimal('10').pow(scale)).toFixed(0));
  });
}
