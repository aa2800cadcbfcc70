import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoiceTotals, Money, MoneyError, sum, toStripeAmount, type InvoiceTotalsInput } from '../src/index.js';

const VAT19 = [{ name: 'VAT', rate: '19' }];
const figures = (input: InvoiceTotalsInput) => {
  const t = invoiceTotals(input);
  return { subtotal: t.subtotal.amount, discount: t.discountAmount.amount, tax: t.taxAmount.amount, total: t.total.amount };
};

describe('invoice totals: the golden cases', () => {
  it('1,000.00 at 19 % is 1,190.00', () => {
    expect(figures({ currency: 'EUR', lines: [{ quantity: '1', unitPrice: '1000.00' }], taxes: VAT19, rounding: 'line' })).toEqual({ subtotal: '1000.00', discount: '0.00', tax: '190.00', total: '1190.00' });
  });

  it('138.66 at 19 % is tax 26.35 and total 165.01, and paying 165.01 leaves nothing due', () => {
    for (const rounding of ['line', 'document'] as const) {
      const t = invoiceTotals({ currency: 'EUR', lines: [{ quantity: '1', unitPrice: '138.66' }], taxes: VAT19, rounding });
      expect([t.taxAmount.amount, t.total.amount]).toEqual(['26.35', '165.01']);
      expect(t.total.minus(Money.of('165.01', 'EUR')).amount).toBe('0.00');
    }
  });

  it('JPY 500 with no tax is ¥500, 500 minor units to Stripe', () => {
    const t = invoiceTotals({ currency: 'JPY', lines: [{ quantity: '1', unitPrice: '500' }], taxes: [], rounding: 'line' });
    expect(t.total.amount).toBe('500');
    expect(toStripeAmount(t.total)).toBe(500);
  });
});

describe('invoice totals: rules', () => {
  it('rounds each line’s tax in per-line mode and the sum’s tax in per-document mode', () => {
    // Three lines of 0.05 at 10 %: each line's tax is 0.005 → 0.01 (half away from zero), so per line 0.03; on the sum, 0.015 → 0.02.
    const lines = [0, 1, 2].map(() => ({ quantity: '1', unitPrice: '0.05' }));
    expect(figures({ currency: 'EUR', lines, taxes: [{ name: null, rate: '10' }], rounding: 'line' }).tax).toBe('0.03');
    expect(figures({ currency: 'EUR', lines, taxes: [{ name: null, rate: '10' }], rounding: 'document' }).tax).toBe('0.02');
  });

  it('applies two named taxes to the same base, not one on top of the other (GST 5 % + QST 9.975 %)', () => {
    const t = invoiceTotals({ currency: 'CAD', lines: [{ quantity: '1', unitPrice: '100.00' }], taxes: [{ name: 'GST', rate: '5' }, { name: 'QST', rate: '9.975' }], rounding: 'document' });
    expect(t.taxes.map((x) => [x.name, x.base.amount, x.amount.amount])).toEqual([
      ['GST', '100.00', '5.00'],
      ['QST', '100.00', '9.98'],
    ]);
    expect(t.total.amount).toBe('114.98');
  });

  it('lets a line carry its own rate in place of the document’s, and leaves zero rates out of the tax list', () => {
    const t = invoiceTotals({
      currency: 'EUR',
      lines: [{ quantity: '2', unitPrice: '50.00' }, { quantity: '1', unitPrice: '20.00', taxRate: '7' }, { quantity: '1', unitPrice: '30.00', taxRate: '0' }],
      taxes: VAT19,
      rounding: 'line',
    });
    expect(t.taxes.map((x) => [x.name, x.rate, x.base.amount, x.amount.amount])).toEqual([
      ['VAT', '19', '100.00', '19.00'],
      [null, '7', '20.00', '1.40'],
    ]);
    expect(t.total.amount).toBe('170.40');
  });

  it('spreads a discount over the lines so taxes of different rates are on discounted bases', () => {
    const t = invoiceTotals({
      currency: 'EUR',
      lines: [{ quantity: '1', unitPrice: '100.00' }, { quantity: '1', unitPrice: '100.00', taxRate: '7' }],
      discount: { type: 'percent', value: '10' },
      taxes: VAT19,
      rounding: 'line',
    });
    expect(t.lines.map((l) => l.taxableAmount.amount)).toEqual(['90.00', '90.00']);
    expect([t.discountAmount.amount, t.taxAmount.amount, t.total.amount]).toEqual(['20.00', '23.40', '203.40']);
  });

  it('multiplies quantities of up to 3 decimals and rounds the line once', () => {
    expect(figures({ currency: 'EUR', lines: [{ quantity: '1.333', unitPrice: '99.99' }], taxes: [], rounding: 'line' }).subtotal).toBe('133.29');
    expect(figures({ currency: 'BHD', lines: [{ quantity: '0.5', unitPrice: '1.235' }], taxes: [], rounding: 'line' }).subtotal).toBe('0.618');
  });

  it('refuses bad input naming the field', () => {
    const base = { currency: 'EUR', taxes: VAT19, rounding: 'line' as const };
    const pathOf = (input: InvoiceTotalsInput) => {
      try {
        invoiceTotals(input);
      } catch (err) {
        if (err instanceof MoneyError) return [err.code, err.path];
        throw err;
      }
      return null;
    };
    expect(pathOf({ ...base, lines: [{ quantity: '1', unitPrice: '1.001' }] })).toEqual(['money.too_many_decimals', 'lines[0].unitPrice']);
    expect(pathOf({ ...base, lines: [{ quantity: '1', unitPrice: '1' }, { quantity: '0.0001', unitPrice: '1' }] })).toEqual(['money.too_many_decimals', 'lines[1].quantity']);
    expect(pathOf({ ...base, lines: [{ quantity: 'x', unitPrice: '1' }] })).toEqual(['money.invalid_decimal', 'lines[0].quantity']);
    expect(pathOf({ ...base, lines: [{ quantity: '1', unitPrice: '10.00' }], discount: { type: 'amount', value: '10.01' } })).toEqual(['money.invalid_discount', 'discountValue']);
    expect(pathOf({ ...base, lines: [{ quantity: '1', unitPrice: '10.00' }], discount: { type: 'percent', value: '101' } })).toEqual(['money.invalid_percentage', 'discountValue']);
    expect(pathOf({ ...base, lines: [{ quantity: '1', unitPrice: '10.00', taxRate: '-1' }] })).toEqual(['money.invalid_percentage', 'lines[0].taxRate']);
  });
});

const CURRENCIES = ['EUR', 'JPY', 'BHD'] as const;
const RATES = ['0', '5', '7.5', '9.975', '19', '21'];
const decimal = (maxUnits: bigint, scale: number, min = 0n) =>
  fc.bigInt({ min, max: maxUnits }).map((u) => {
    if (scale === 0) return u.toString();
    const digits = u.toString().padStart(scale + 1, '0');
    return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  });
const scaleOf = { EUR: 2, JPY: 0, BHD: 3 };
const invoice = fc.constantFrom(...CURRENCIES).chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    lines: fc.array(
      fc.record({
        quantity: decimal(1_000_000n, 3, 1n),
        unitPrice: decimal(99_999n * 10n ** BigInt(scaleOf[currency]) + (10n ** BigInt(scaleOf[currency]) - 1n), scaleOf[currency]),
        taxRate: fc.option(fc.constantFrom(...RATES), { nil: null, freq: 3 }),
      }),
      { minLength: 1, maxLength: 50 },
    ),
    discount: fc.option(fc.oneof(fc.record({ type: fc.constant('percent' as const), value: fc.constantFrom('0', '5', '12.5', '100') }), fc.record({ type: fc.constant('amount' as const), value: fc.constant('1') })), { nil: null }),
    taxes: fc.subarray([{ name: 'A', rate: '19' }, { name: 'B', rate: '9.975' }], { maxLength: 2 }),
    rounding: fc.constantFrom('line' as const, 'document' as const),
  }),
);

describe('invoice totals: properties', () => {
  it('lines, discount and taxes add up to the total exactly, and the discount parts to the discount', () => {
    fc.assert(
      fc.property(invoice, (input) => {
        let t;
        try {
          t = invoiceTotals(input);
        } catch (err) {
          // A fixed amount discount can exceed a tiny subtotal; that must be the only refusal.
          expect(err instanceof MoneyError && err.code === 'money.invalid_discount').toBe(true);
          return;
        }
        const c = input.currency;
        expect(sum(t.lines.map((l) => l.amount), c).equals(t.subtotal)).toBe(true);
        expect(sum(t.lines.map((l) => l.discount), c).equals(t.discountAmount)).toBe(true);
        expect(sum(t.taxes.map((x) => x.amount), c).equals(t.taxAmount)).toBe(true);
        expect(t.subtotal.minus(t.discountAmount).plus(t.taxAmount).equals(t.total)).toBe(true);
        for (const l of t.lines) expect(l.taxableAmount.isNegative()).toBe(false);
        if (input.rounding === 'line') {
          const perLine = t.lines.flatMap((l) => l.taxes.filter((x) => x.rate !== '0').map((x) => x.amount));
          expect(sum(perLine, c).equals(t.taxAmount)).toBe(true);
        }
        // Per document, each tax is its base × rate, rounded once.
        for (const x of t.taxes) {
          if (input.rounding === 'document') expect(x.base.percent(x.rate).equals(x.amount)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
