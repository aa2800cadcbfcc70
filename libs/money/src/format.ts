import type { Money } from './money.js';

export interface FormatOptions {
  /** BCP 47 locale; the runtime's default when omitted. */
  locale?: string;
  /** Intl's `currencyDisplay`: `symbol` (€), `narrowSymbol`, `code` (EUR) or `name`. */
  currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'name';
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * For people: "€1,190.00", "1.190,00 €", "¥500", "BHD 1.234". Always shows the currency's
 * ISO decimals (Intl's own data differs for a few currencies), so the screen shows exactly
 * the amount the invoice and Stripe carry. The decimal string goes to Intl as a string,
 * which formats it exactly, with no detour through a float.
 */
export function formatMoney(money: Money, options: FormatOptions = {}): string {
  const key = `${options.locale ?? ''}|${money.currency}|${options.currencyDisplay ?? 'symbol'}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(options.locale, {
      style: 'currency',
      currency: money.currency,
      currencyDisplay: options.currencyDisplay ?? 'symbol',
      minimumFractionDigits: money.scale,
      maximumFractionDigits: money.scale,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(money.amount as Intl.StringNumericLiteral);
}
