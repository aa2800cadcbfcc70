import fc from 'fast-check';
import { beforeEach, describe, it } from 'vitest';
import { invoiceTotals, minorUnits, type InvoiceTotalsInput, type Money } from '../src/index.js';

/**
 * Issue 11's 100,000 random invoices: 1–50 lines, quantities 0.001–1,000, prices up to
 * 99,999.99 (in the currency's own scale), taxes 0 / 5 / 7.5 / 9.975 / 19 / 21 % (document taxes,
 * one or two on the same base, and per-line rates), amount and percent discounts, both roundings,
 * EUR / JPY / BHD. Every figure is checked against an oracle in plain bigint minor units, and the
 * parts add up to the total exactly.
 */
const RATES = ['0', '5', '7.5', '9.975', '19', '21'] as const;
const CURRENCIES = ['EUR', 'JPY', 'BHD'] as const;

/** A decimal string of `units` × 10^-scale. */
const decimal = (units: bigint, scale: number): string => {
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  return negative ? `-${body}` : body;
};
/** n / d rounded half away from zero (d > 0). */
const divRound = (n: bigint, d: bigint): bigint => {
  const q = n / d;
  const r = n % d;
  if (2n * (r < 0n ? -r : r) >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
};
/** A rate as an integer number of thousandths of a percent ("9.975" → 9975n). */
const rateMilli = (rate: string): bigint => {
  const [i, f = ''] = rate.split('.');
  return BigInt(i!) * 1000n + BigInt((f + '000').slice(0, 3));
};

const invoice = fc
  .record({
    currency: fc.constantFrom(...CURRENCIES),
    lines: fc.array(
      fc.record({
        quantityMilli: fc.integer({ min: 1, max: 1_000_000 }),
        // Up to 99,999.99 in the currency's decimals (99,999 yen, 99,999.999 dinar).
        priceFraction: fc.integer({ min: 0, max: 1_000_000 }),
        lineRate: fc.option(fc.constantFrom(...RATES), { freq: 4 }),
      }),
      { minLength: 1, maxLength: 50 },
    ),
    taxes: fc.uniqueArray(fc.constantFrom(...RATES), { maxLength: 2 }),
    discount: fc.oneof(
      fc.constant(null),
      fc.record({ type: fc.constant('percent' as const), hundredths: fc.integer({ min: 0, max: 10_000 }) }),
      fc.record({ type: fc.constant('amount' as const), share: fc.integer({ min: 0, max: 10_000 }) }),
    ),
    rounding: fc.constantFrom('line' as const, 'document' as const),
  })
  .map((g) => {
    const scale = minorUnits(g.currency);
    const maxPrice = 99_999n * 10n ** BigInt(scale) + (scale === 0 ? 0n : 10n ** BigInt(scale) - 1n);
    const lines = g.lines.map((l) => ({
      quantityMilli: BigInt(l.quantityMilli),
      priceMinor: (maxPrice * BigInt(l.priceFraction)) / 1_000_000n,
      lineRate: l.lineRate,
    }));
    return { ...g, scale, lines };
  });

/** Plain checks in the hot loop (expect() is slow at this count); fast-check reports the invoice that broke one. */
const same = (actual: unknown, expected: unknown, what: string) => {
  const a = JSON.stringify(actual, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const e = JSON.stringify(expected, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
};

// 10 blocks of 10,000 with their own seeds: one block at a time keeps the worker answering the runner.
const BLOCKS = Array.from({ length: 10 }, (_, i) => i);

describe('invoiceTotals on 100,000 random invoices', () => {
  // Each block keeps the worker's event loop busy for seconds: let it turn between blocks, so the
  // runner's replies to the worker are read (ten blocks back to back outlast vitest's 60 s RPC
  // timeout on a slow machine, "Timeout calling onTaskUpdate").
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
  it.each(BLOCKS)('block %i (10,000 invoices): lines, discount and taxes add up to the total exactly, every figure as the bigint oracle computes it', (block) => {
    fc.assert(
      fc.property(invoice, (g) => {
        const { currency, scale } = g;
        const oracleAmounts = g.lines.map((l) => divRound(l.quantityMilli * l.priceMinor, 1000n));
        const subtotalMinor = oracleAmounts.reduce((a, b) => a + b, 0n);
        let discount: InvoiceTotalsInput['discount'] = null;
        if (g.discount?.type === 'percent') discount = { type: 'percent', value: decimal(BigInt(g.discount.hundredths), 2) };
        if (g.discount?.type === 'amount') discount = { type: 'amount', value: decimal((subtotalMinor * BigInt(g.discount.share)) / 10_000n, scale) };
        const taxes = g.taxes.map((rate, i) => ({ name: g.taxes.length === 2 ? (i === 0 ? 'GST' : 'QST') : null, rate }));
        const input: InvoiceTotalsInput = {
          currency,
          rounding: g.rounding,
          discount,
          taxes,
          lines: g.lines.map((l) => ({ quantity: decimal(l.quantityMilli, 3), unitPrice: decimal(l.priceMinor, scale), taxRate: l.lineRate })),
        };
        const t = invoiceTotals(input);
        const minor = (m: Money) => m.minorUnitsExact();

        // Lines: quantity × price rounded half away from zero; the subtotal is their sum.
        same(t.lines.map((l) => minor(l.amount)), oracleAmounts, 'line amounts');
        same(minor(t.subtotal), subtotalMinor, 'subtotal');

        // Discount: the percentage of the subtotal (rounded once) or the amount, spread over the lines to the unit.
        const discountMinor =
          g.discount?.type === 'percent' ? divRound(subtotalMinor * BigInt(g.discount.hundredths), 10_000n) : g.discount?.type === 'amount' ? (subtotalMinor * BigInt(g.discount.share)) / 10_000n : 0n;
        same(minor(t.discountAmount), discountMinor, 'discount');
        same(t.lines.reduce((a, l) => a + minor(l.discount), 0n), discountMinor, 'discount spread over the lines');
        for (const l of t.lines) same(minor(l.taxableAmount), minor(l.amount) - minor(l.discount), 'taxable amount');

        // Taxes: each rate's base is the sum of its lines' taxable amounts; its amount per line or per document.
        const groups = new Map<string, { base: bigint; lineTaxes: bigint; exactNumerator: bigint }>();
        t.lines.forEach((l, i) => {
          const rates = g.lines[i]!.lineRate == null ? taxes : [{ name: null, rate: g.lines[i]!.lineRate! }];
          for (const tax of rates) {
            const key = `${tax.name ?? ''}|${Number(tax.rate)}`;
            const group = groups.get(key) ?? { base: 0n, lineTaxes: 0n, exactNumerator: 0n };
            const numerator = minor(l.taxableAmount) * rateMilli(tax.rate);
            groups.set(key, { base: group.base + minor(l.taxableAmount), lineTaxes: group.lineTaxes + divRound(numerator, 100_000n), exactNumerator: group.exactNumerator + numerator });
          }
        });
        const expected = [...groups.entries()].filter(([key]) => !key.endsWith('|0'));
        same(t.taxes.length, expected.length, 'tax lines');
        for (const tax of t.taxes) {
          const group = groups.get(`${tax.name ?? ''}|${Number(tax.rate)}`)!;
          same(minor(tax.base), group.base, `base of ${tax.rate} %`);
          same(minor(tax.amount), g.rounding === 'line' ? group.lineTaxes : divRound(group.exactNumerator, 100_000n), `tax at ${tax.rate} %`);
        }
        const taxMinor = t.taxes.reduce((a, x) => a + minor(x.amount), 0n);
        same(minor(t.taxAmount), taxMinor, 'tax amount');

        // The parts add up to the total, exactly, in the currency's scale.
        same(minor(t.total), subtotalMinor - discountMinor + taxMinor, 'total');
        for (const m of [t.subtotal, t.discountAmount, t.taxAmount, t.total]) same(m.currency, currency, 'currency');
      }),
      { numRuns: 10_000, seed: 20261202 + block },
    );
  }, 120_000);
});
