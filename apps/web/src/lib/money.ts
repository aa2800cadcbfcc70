import { formatMoney, Money } from '@atelier/money';

/** An API amount ("1250.00" in EUR) for people: "€1,250.00"; an amount the lib cannot read stays as sent. */
export function formatAmount(amount: string | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  try {
    return formatMoney(Money.of(amount, currency));
  } catch {
    return `${amount} ${currency}`;
  }
}
