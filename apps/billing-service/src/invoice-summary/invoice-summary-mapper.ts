import { INVOICE_STATUSES, type InvoiceCurrencySum, type InvoiceSummary } from '@atelier/contracts';
import { Money } from '@atelier/money';
import type { SumRow } from './invoice-summary-repository.js';

/** A database sum in the currency's scale ("1190" → "1190.00", JPY "500"). */
const amount = (value: string | null, currency: string): string => Money.round(value ?? '0', currency).amount;

const sumOf = (r: SumRow): InvoiceCurrencySum => ({
  currency: r.currency,
  total: amount(r.total, r.currency),
  amountDue: amount(r.amountDue, r.currency),
  amountPaid: amount(r.amountPaid, r.currency),
});

const byCurrency = (a: InvoiceCurrencySum, b: InvoiceCurrencySum) => a.currency.localeCompare(b.currency);

export function toInvoiceSummary(rows: readonly SumRow[], paid: readonly SumRow[] | null): InvoiceSummary {
  return {
    statuses: INVOICE_STATUSES.map((status) => {
      const mine = rows.filter((r) => r.status === status);
      return { status, count: mine.reduce((n, r) => n + r.n, 0), sums: mine.map(sumOf).sort(byCurrency) };
    }),
    paid: paid === null ? null : { count: paid.reduce((n, r) => n + r.n, 0), sums: paid.map(sumOf).sort(byCurrency) },
  };
}
