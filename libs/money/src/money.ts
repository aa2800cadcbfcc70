import type Big from 'big.js';
import { minorUnits } from './currencies.js';
import { Decimal, decimalsOf, parseDecimal } from './decimal.js';
import { MoneyError } from './errors.js';
import { INVOICE_ROUNDING, roundTo, type RoundingMode } from './rounding.js';

const ZERO = new Decimal('0');

/**
 * An exact amount in one currency, always at the currency's scale (EUR "190.00", JPY "500",
 * BHD "1.234"). Immutable; arithmetic between two currencies is refused. Results that can
 * carry more decimals (times, percent) take an explicit rounding mode, invoices' by default.
 */
export class Money {
  private readonly value: Big;

  private constructor(
    value: Big,
    readonly currency: string,
    readonly scale: number,
  ) {
    // big.js keeps the sign of zero; an amount never shows as "-0.00".
    this.value = value.eq('0') ? ZERO : value;
  }

  /**
   * Strict parse of a decimal string that must already fit the currency: "138.66" EUR is
   * fine, "138.666" EUR is refused (never silently rounded), "1.234" BHD is fine.
   */
  static of(amount: string, currency: string): Money {
    const scale = minorUnits(currency);
    const value = parseDecimal(amount, 'amount');
    if (decimalsOf(amount) > scale) {
      throw new MoneyError('money.too_many_decimals', `${amount} has more decimals than ${currency} allows (${scale})`);
    }
    return new Money(value, currency, scale);
  }

  /** A decimal string of any precision, rounded to the currency's scale. */
  static round(amount: string, currency: string, mode: RoundingMode = INVOICE_ROUNDING): Money {
    const scale = minorUnits(currency);
    return new Money(roundTo(parseDecimal(amount, 'amount'), scale, mode), currency, scale);
  }

  static zero(currency: string): Money {
    return new Money(ZERO, currency, minorUnits(currency));
  }

  /** From an integer count of minor units (cents, fils, yen): 1234 BHD → 1.234. */
  static fromMinorUnits(units: number | bigint, currency: string): Money {
    const scale = minorUnits(currency);
    if (typeof units === 'number' && !Number.isSafeInteger(units)) {
      throw new MoneyError('money.unsafe_integer', `${units} is not a safe integer count of minor units`);
    }
    return new Money(new Decimal(String(units)).div(new Decimal('10').pow(scale)), currency, scale);
  }

  /** The amount as a decimal string at the currency's scale: what the API and NUMERIC columns carry. */
  get amount(): string {
    return this.value.toFixed(this.scale);
  }

  /** The amount as an integer count of minor units: JPY 500 → 500, BHD 1.234 → 1234, EUR 1.50 → 150. */
  toMinorUnits(): number {
    const units = Number(this.minorUnitsExact());
    if (!Number.isSafeInteger(units)) throw new MoneyError('money.unsafe_integer', `${this} has more minor units than a safe integer holds`);
    return units;
  }

  minorUnitsExact(): bigint {
    return BigInt(this.value.times(new Decimal('10').pow(this.scale)).toFixed(0));
  }

  plus(other: Money): Money {
    return this.with(this.value.plus(this.same(other).value));
  }

  minus(other: Money): Money {
    return this.with(this.value.minus(this.same(other).value));
  }

  negate(): Money {
    return this.with(this.value.times('-1'));
  }

  abs(): Money {
    return this.with(this.value.abs());
  }

  /** amount × factor ("3.5" hours × rate, quantity × unit price), rounded once. */
  times(factor: string, mode: RoundingMode = INVOICE_ROUNDING): Money {
    return this.with(roundTo(this.value.times(parseDecimal(factor, 'factor')), this.scale, mode));
  }

  /**
   * amount × numerator / denominator, rounded once and exactly (integer arithmetic on minor
   * units): an hourly rate × minutes / 60, where the quotient has no finite decimal form.
   */
  timesFraction(numerator: number | bigint, denominator: number | bigint, mode: RoundingMode = INVOICE_ROUNDING): Money {
    const n = BigInt(numerator);
    const d = BigInt(denominator);
    if (d === 0n) throw new MoneyError('money.invalid_ratios', 'cannot divide by zero');
    const product = this.minorUnitsExact() * n * (d < 0n ? -1n : 1n);
    const divisor = d < 0n ? -d : d;
    return Money.fromMinorUnits(divideRounded(product, divisor, mode), this.currency);
  }

  /** amount × rate %, rate as the percentage's decimal string ("19", "9.975"), rounded once. */
  percent(rate: string, mode: RoundingMode = INVOICE_ROUNDING): Money {
    return this.with(roundTo(this.value.times(parseDecimal(rate, 'rate')).div('100'), this.scale, mode));
  }

  compare(other: Money): -1 | 0 | 1 {
    return this.value.cmp(this.same(other).value);
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.value.eq(other.value);
  }

  isZero(): boolean {
    return this.value.eq('0');
  }

  isNegative(): boolean {
    return this.value.lt('0');
  }

  isPositive(): boolean {
    return this.value.gt('0');
  }

  toString(): string {
    return `${this.amount} ${this.currency}`;
  }

  toJSON(): { amount: string; currency: string } {
    return { amount: this.amount, currency: this.currency };
  }

  private with(value: Big): Money {
    return new Money(value, this.currency, this.scale);
  }

  private same(other: Money): Money {
    if (other.currency !== this.currency) {
      throw new MoneyError('money.currency_mismatch', `cannot combine ${this.currency} with ${other.currency}`);
    }
    return other;
  }
}

/** The sum of amounts in one currency; the empty sum is zero. */
export function sum(amounts: readonly Money[], currency: string): Money {
  return amounts.reduce((total, m) => total.plus(m), Money.zero(currency));
}

/** `value / divisor` (divisor > 0) rounded to an integer by `mode`, exactly. */
function divideRounded(value: bigint, divisor: bigint, mode: RoundingMode): bigint {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const q = magnitude / divisor;
  const r = magnitude % divisor;
  let up: boolean;
  switch (mode) {
    case 'halfAwayFromZero':
      up = 2n * r >= divisor;
      break;
    case 'halfEven':
      up = 2n * r > divisor || (2n * r === divisor && q % 2n === 1n);
      break;
    case 'up':
      up = r > 0n;
      break;
    case 'down':
      up = false;
      break;
    case 'ceil':
      up = r > 0n && !negative;
      break;
    case 'floor':
      up = r > 0n && negative;
      break;
  }
  const rounded = up ? q + 1n : q;
  return negative ? -rounded : rounded;
}
