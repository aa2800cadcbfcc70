import { Money } from '@atelier/money';

/** A NUMERIC as the API shows a rate or quantity: no trailing zeros ("19.0000" → "19", "1.500" → "1.5"). */
export const normalDecimal = (v: string): string => (v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v);

/** A stored amount (NUMERIC(19,4)) at its currency's scale ("1190.0000" EUR → "1190.00"); exact, the column holds what `Money` produced. */
export const moneyText = (v: string, currency: string): string => Money.round(v, currency).amount;
