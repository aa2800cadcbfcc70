import { minorUnits } from './currencies.js';
import { MoneyError } from './errors.js';
import { Money } from './money.js';
import { roundTo, type RoundingMode } from './rounding.js';
import { Decimal } from './decimal.js';

/**
 * Stripe's view of minor units differs from ISO 4217 for a few currencies:
 * - its zero-decimal currencies take whole units (JPY 500 → 500) — including MGA, which ISO
 *   gives two decimals;
 * - ISK is zero-decimal in ISO but two-decimal in Stripe's API, in multiples of 100 (ISK 5 → 500);
 * - its three-decimal currencies (BHD, JOD, KWD, OMR, TND) take three decimals whose last
 *   digit must be 0 (BHD 1.230 → 1230; BHD 1.234 cannot be charged as is).
 */
const STRIPE_ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const STRIPE_THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);
const STRIPE_TWO_DECIMAL_WHOLE = new Set(['ISK']);

/** The decimals Stripe's `amount` fields use for a currency. */
export function stripeDecimals(currency: string): number {
  if (STRIPE_ZERO_DECIMAL.has(currency)) return 0;
  if (STRIPE_THREE_DECIMAL.has(currency)) return 3;
  if (STRIPE_TWO_DECIMAL_WHOLE.has(currency)) return 2;
  return minorUnits(currency);
}

/**
 * The integer `amount` Stripe expects. An amount Stripe cannot represent exactly (MGA 1.50,
 * BHD 1.234, ISK fractions cannot arise) is refused unless a rounding mode says how to make
 * it chargeable; the caller then charges, and records, the rounded amount.
 */
export function toStripeAmount(money: Money, mode?: RoundingMode): number {
  const { decimals, step } = stripeGrid(money.currency);
  const chargeable = roundTo(new Decimal(money.amount), decimals - step, mode ?? 'down');
  if (mode === undefined && !chargeable.eq(money.amount)) {
    throw new MoneyError('money.stripe_unrepresentable', `${money} cannot be charged through Stripe exactly; round it first`);
  }
  const units = Number(chargeable.times(new Decimal('10').pow(decimals)).toFixed(0));
  if (!Number.isSafeInteger(units)) throw new MoneyError('money.unsafe_integer', `${money} is too large for Stripe`);
  return units;
}

/** The money a Stripe `amount` in a currency stands for: (500, "JPY") → JPY 500; (1230, "BHD") → BHD 1.230. */
export function fromStripeAmount(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new MoneyError('money.unsafe_integer', `Stripe amount ${amount} is not an integer`);
  const value = new Decimal(String(amount)).div(new Decimal('10').pow(stripeDecimals(currency)));
  const money = Money.round(value.toFixed(), currency, 'down');
  if (!value.eq(money.amount)) {
    throw new MoneyError('money.stripe_unrepresentable', `Stripe amount ${amount} is a fraction of ${currency}'s minor unit`);
  }
  return money;
}

/** Stripe's decimals, and how many trailing ones must be zero (1 for three-decimal, 2 for ISK). */
function stripeGrid(currency: string): { decimals: number; step: number } {
  const decimals = stripeDecimals(currency);
  if (STRIPE_THREE_DECIMAL.has(currency)) return { decimals, step: 1 };
  if (STRIPE_TWO_DECIMAL_WHOLE.has(currency)) return { decimals, step: 2 };
  return { decimals, step: 0 };
}
