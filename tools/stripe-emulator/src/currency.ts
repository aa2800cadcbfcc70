import { CURRENCY_CODES, formatMoney, fromStripeAmount, stripeDecimals } from '@atelier/money';
import { invalidRequest } from './errors.js';

const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/**
 * Stripe's minimum charge per currency (in its minor units), for the currencies we know it
 * for; Checkout refuses a smaller total.
 */
const MINIMUM: Record<string, number> = {
  USD: 50, EUR: 50, GBP: 30, CAD: 50, AUD: 50, CHF: 50, NZD: 50, SGD: 50, JPY: 50, DKK: 250, NOK: 300, SEK: 300,
  HKD: 400, MXN: 1000, PLN: 200, CZK: 1500, HUF: 17500, BRL: 50, AED: 200, INR: 50, THB: 1000, RON: 200, BGN: 100,
};

/** Stripe takes currency codes in any case and answers in lower case. */
export function parseCurrency(value: string, param: string): string {
  const upper = value.toUpperCase();
  if (!CURRENCY_CODES.includes(upper)) throw invalidRequest(`Invalid currency: ${value.toLowerCase()}.`, param);
  return upper.toLowerCase();
}

/**
 * An amount in Stripe's minor units: a non-negative integer; for three-decimal currencies
 * the last digit must be 0, for ISK (two decimals in Stripe's API) the last two.
 */
export function checkAmount(amount: number, currency: string, param: string): void {
  if (amount < 0) throw invalidRequest('This value must be greater than or equal to 0.', param);
  if (amount > 99_999_999) throw invalidRequest('This value must be less than or equal to 99999999.', param);
  const code = currency.toUpperCase();
  if (THREE_DECIMAL.has(code) && amount % 10 !== 0) {
    throw invalidRequest(`Invalid amount: ${amount}. For ${code}, a three-decimal currency, the last digit of the amount must be 0.`, param, 'invalid_amount');
  }
  if (code === 'ISK' && amount % 100 !== 0) {
    throw invalidRequest(`Invalid amount: ${amount}. ISK amounts must be a multiple of 100.`, param, 'invalid_amount');
  }
}

export function checkMinimum(total: number, currency: string): void {
  const minimum = MINIMUM[currency.toUpperCase()];
  if (total > 0 && minimum !== undefined && total < minimum) {
    throw invalidRequest(`The Checkout Session's total amount due must add up to at least ${formatAmount(minimum, currency)}.`, 'line_items', 'amount_too_small');
  }
}

/** An amount in minor units as a person reads it: (1234, 'eur') → €12.34, (500, 'jpy') → ¥500. */
export function formatAmount(amount: number, currency: string): string {
  return formatMoney(fromStripeAmount(amount, currency.toUpperCase()), { locale: 'en' });
}

export const decimalsOf = (currency: string): number => stripeDecimals(currency.toUpperCase());
