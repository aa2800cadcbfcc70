import type Big from 'big.js';
import { allocate } from './allocate.js';
import { Decimal, decimalsOf, parseDecimal } from './decimal.js';
import { MoneyError } from './errors.js';
import { Money, sum } from './money.js';
import { INVOICE_ROUNDING } from './rounding.js';

/**
 * The one computation of an invoice's figures: the API stores what it returns, the PDF prints
 * it and the web builder shows it live, so the three can never disagree. Worked examples are in
 * docs/invoice-maths.md.
 */

/** Per line: each line's tax is rounded, then the lines are summed. Per document: the tax of each rate is computed on the sum of its bases and rounded once. */
export type TaxRounding = 'line' | 'document';

export interface InvoiceLineInput {
  /** Up to 3 decimals ("1.5" hours, "0.125" units). */
  quantity: string;
  /** At most the currency's decimals. */
  unitPrice: string;
  /** A rate for this line alone ("7", "0" for exempt), in place of the document's taxes; null or absent: the document's taxes apply. */
  taxRate?: string | null;
}

export interface InvoiceTax {
  /** "VAT", "GST", "QST"…; null for an unnamed rate. */
  name: string | null;
  /** The percentage as a decimal string: "19", "9.975". */
  rate: string;
}

export interface InvoiceTotalsInput {
  currency: string;
  lines: readonly InvoiceLineInput[];
  discount?: { type: 'amount' | 'percent'; value: string } | null;
  /** The document's taxes, each on the same (discounted) base, not compounded: GST 5 % + QST 9.975 %. */
  taxes: readonly InvoiceTax[];
  rounding: TaxRounding;
}

export interface InvoiceLineTotals {
  /** quantity × unit price, rounded to the currency. */
  amount: Money;
  /** This line's part of the invoice's discount: the discount is spread over the positive lines in proportion to their amounts, never losing or inventing a minor unit. */
  discount: Money;
  /** amount − discount: what the line's taxes are computed on. */
  taxableAmount: Money;
  /** The line's taxes before document rounding; in per-line rounding each is already what is billed. */
  taxes: { name: string | null; rate: string; amount: Money }[];
}

export interface InvoiceTaxTotal {
  name: string | null;
  rate: string;
  /** The sum of the taxable amounts this tax applies to. */
  base: Money;
  amount: Money;
}

export interface InvoiceTotals {
  lines: InvoiceLineTotals[];
  subtotal: Money;
  discountAmount: Money;
  /** Zero-rate taxes are left out: they add nothing and an invoice does not print them. */
  taxes: InvoiceTaxTotal[];
  taxAmount: Money;
  total: Money;
}

const MAX_QUANTITY_DECIMALS = 3;
const HUNDRED = new Decimal('100');

export function invoiceTotals(input: InvoiceTotalsInput): InvoiceTotals {
  const { currency } = input;
  const zero = Money.zero(currency);
  const amounts = input.lines.map((line, index) => lineAmount(line, currency, index));
  const subtotal = sum(amounts, currency);
  const discountAmount = discountOf(input.discount ?? null, subtotal);
  const discounts = spreadDiscount(discountAmount, amounts);

  const groups = new Map<string, InvoiceTaxTotal & { exact: Big }>();
  const lines = amounts.map((amount, index) => {
    const line = input.lines[index]!;
    const discount = discounts[index]!;
    const taxableAmount = amount.minus(discount);
    const applicable = line.taxRate == null ? input.taxes : [{ name: null, rate: line.taxRate }];
    const taxes = applicable.map((tax) => {
      const rate = percentage(tax.rate, line.taxRate == null ? 'taxes' : `lines[${index}].taxRate`);
      const key = `${tax.name ?? ''}\u0000${rate}`;
      const group = groups.get(key) ?? { name: tax.name, rate, base: zero, amount: zero, exact: new Decimal('0') };
      const exact = new Decimal(taxableAmount.amount).times(rate).div(HUNDRED);
      const amountOfLine = Money.round(exact.toFixed(), currency, INVOICE_ROUNDING);
      groups.set(key, { ...group, base: group.base.plus(taxableAmount), amount: group.amount.plus(amountOfLine), exact: group.exact.plus(exact) });
      return { name: tax.name, rate, amount: amountOfLine };
    });
    return { amount, discount, taxableAmount, taxes };
  });

  const taxes = [...groups.values()]
    .filter((group) => !new Decimal(group.rate).eq('0'))
    .map(({ exact, ...group }) => (input.rounding === 'document' ? { ...group, amount: Money.round(exact.toFixed(), currency, INVOICE_ROUNDING) } : group));
  const taxAmount = sum(
    taxes.map((t) => t.amount),
    currency,
  );
  return { lines, subtotal, discountAmount, taxes, taxAmount, total: subtotal.minus(discountAmount).plus(taxAmount) };
}

function lineAmount(line: InvoiceLineInput, currency: string, index: number): Money {
  const quantity = field(`lines[${index}].quantity`, () => parseDecimal(line.quantity, 'quantity'));
  if (decimalsOf(line.quantity) > MAX_QUANTITY_DECIMALS) {
    throw new MoneyError('money.too_many_decimals', `quantity may have at most ${MAX_QUANTITY_DECIMALS} decimals`, `lines[${index}].quantity`);
  }
  return field(`lines[${index}].unitPrice`, () => Money.of(line.unitPrice, currency)).times(quantity.toFixed());
}

function discountOf(discount: InvoiceTotalsInput['discount'], subtotal: Money): Money {
  if (!discount) return Money.zero(subtotal.currency);
  const amount =
    discount.type === 'percent'
      ? subtotal.isNegative()
        ? Money.zero(subtotal.currency)
        : subtotal.percent(percentage(discount.value, 'discountValue'), INVOICE_ROUNDING)
      : field('discountValue', () => Money.of(discount.value, subtotal.currency));
  if (amount.isNegative()) throw new MoneyError('money.invalid_discount', 'A discount cannot be negative', 'discountValue');
  if (amount.compare(subtotal) > 0) throw new MoneyError('money.invalid_discount', `The discount (${amount}) is more than the subtotal (${subtotal})`, 'discountValue');
  return amount;
}

/** Credit lines (negative amounts) get no share: a discount reduces what is charged. */
function spreadDiscount(discount: Money, amounts: readonly Money[]): Money[] {
  if (discount.isZero()) return amounts.map(() => discount);
  const weights = amounts.map((a) => (a.isPositive() ? a.minorUnitsExact().toString() : '0'));
  return allocate(discount, weights);
}

/** A percentage between 0 and 100 as a normalised decimal string ("19.00" → "19"). */
function percentage(text: string, path: string): string {
  const value = field(path, () => parseDecimal(text, 'percentage'));
  if (value.lt('0') || value.gt(HUNDRED)) throw new MoneyError('money.invalid_percentage', `A percentage is from 0 to 100, got ${text}`, path);
  return value.toFixed();
}

/** Runs a parse and names the input field in the error it throws. */
function field<T>(path: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw err instanceof MoneyError && !err.path ? new MoneyError(err.code, err.message, path) : err;
  }
}
