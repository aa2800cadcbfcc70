import { Money, MoneyError, invoiceTotals, type InvoiceTax, type InvoiceTotals } from '@atelier/money';
import { invalid } from '@atelier/platform';

export interface FigureInput {
  currency: string;
  rounding: 'line' | 'document';
  discountType: 'amount' | 'percent' | null;
  discountValue: string | null;
  /** The one unnamed document rate, when no named taxes are set. */
  taxRate: string | null;
  taxes: { name: string | null; rate: string }[];
  lines: { quantity: string; unitPrice: string; taxRate: string | null }[];
}

/** The taxes the document applies: its named ones, else its one unnamed rate, else none. */
export const documentTaxes = (f: Pick<FigureInput, 'taxRate' | 'taxes'>): InvoiceTax[] =>
  f.taxes.length > 0 ? f.taxes.map((t) => ({ name: t.name, rate: t.rate })) : f.taxRate !== null ? [{ name: null, rate: f.taxRate }] : [];

/** `lines[2].unitPrice` (libs/money) → `lineItems.2.unitPrice` (the request body). */
const bodyPath = (path: string | undefined) => (path ?? '(body)').replace(/^lines\[(\d+)\]/, 'lineItems.$1').replace(/^taxes$/, 'taxRate');

/**
 * The one place an invoice's figures come from: libs/money `invoiceTotals`. A figure it refuses
 * (a price with more decimals than the currency, a discount above the subtotal) is a 400 naming the field.
 */
export function figuresOf(f: FigureInput): InvoiceTotals {
  try {
    return invoiceTotals({
      currency: f.currency,
      rounding: f.rounding,
      discount: f.discountType && f.discountValue !== null ? { type: f.discountType, value: f.discountValue } : null,
      taxes: documentTaxes(f),
      lines: f.lines,
    });
  } catch (err) {
    if (err instanceof MoneyError) throw invalid('invoice.invalid_amount', err.message, [{ path: bodyPath(err.path), message: err.message }]);
    throw err;
  }
}

/** What is still due: the total less what was paid, never below zero (an overpayment leaves nothing due). */
export function amountDueOf(total: Money, amountPaid: Money): Money {
  const due = total.minus(amountPaid);
  return due.isNegative() ? Money.zero(total.currency) : due;
}

/** The invoice columns the figures fill, `amountPaid` (stored) kept. */
export function figureColumns(t: InvoiceTotals, amountPaid: string) {
  const paid = Money.round(amountPaid, t.total.currency);
  return {
    subtotal: t.subtotal.amount,
    discountAmount: t.discountAmount.amount,
    taxAmount: t.taxAmount.amount,
    taxLines: t.taxes.map((x) => ({ name: x.name, rate: x.rate, base: x.base.amount, amount: x.amount.amount })),
    total: t.total.amount,
    amountDue: amountDueOf(t.total, paid).amount,
  };
}

/** What was paid beyond the total: the flag of an overpayment ("0.00" when none); the amount due stays 0. */
export function amountOverpaidOf(row: { total: string; amountPaid: string; currency: string }): string {
  const over = Money.round(row.amountPaid, row.currency).minus(Money.round(row.total, row.currency));
  return over.isPositive() ? over.amount : Money.zero(row.currency).amount;
}
