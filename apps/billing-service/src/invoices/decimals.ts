import { Money, minorUnits } from '@atelier/money';

/** A NUMERIC as the API shows a rate or quantity: no trailing zeros ("19.0000" → "19", "1.500" → "1.5"). */
export const normalDecimal = (v: string): string => (v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v);

const STORED = /^(-?\d+)(?:\.(\d*))?$/;
const ZEROS = /^0*$/;

/**
 * A stored amount (NUMERIC(19,4)) at its currency's scale ("1190.0000" EUR → "1190.00"); exact, the
 * column holds what `Money` produced. When every digit past the scale is 0 (always, for amounts
 * `Money` made) that is the text cut short, with no decimal arithmetic: a list page shows 300 of them.
 */
export const moneyText = (v: string, currency: string): string => {
  const scale = minorUnits(currency);
  const parts = STORED.exec(v);
  if (parts) {
    const fraction = parts[2] ?? '';
    if (ZEROS.test(fraction.slice(scale))) return scale === 0 ? parts[1]! : `${parts[1]!}.${fraction.slice(0, scale).padEnd(scale, '0')}`;
  }
  return Money.round(v, currency).amount;
};
