import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, invoiceTotals, minorUnits, Money } from '@atelier/money';
import { internalTokenFor, newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { pdfText } from './pdf-text.js';
import { getBytes, seedAgencyDetails, seedBillClient } from './send-helpers.js';

/**
 * Issue 11's agreement check on a sample of 200 random invoices (the 100,000 of the property test
 * in libs/money are for the maths alone): the API's figures, the builder's function (libs/money
 * `invoiceTotals`, which the web builder runs for its live totals) and the text of the PDF the API
 * renders agree on every figure.
 */
const RATES = ['0', '5', '7.5', '9.975', '19', '21'];
const CURRENCIES = ['EUR', 'JPY', 'BHD'];
const SAMPLE = 200;

let h: BillingHarness;
beforeAll(async () => {
  h = await startBilling();
}, 60_000);
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const decimal = (units: bigint, scale: number) => {
  const text = units.toString().padStart(scale + 1, '0');
  return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
};

const sample = fc.sample(
  fc.record({
    currency: fc.constantFrom(...CURRENCIES),
    lines: fc.array(fc.record({ quantityMilli: fc.integer({ min: 1, max: 1_000_000 }), priceFraction: fc.integer({ min: 0, max: 1_000_000 }), lineRate: fc.option(fc.constantFrom(...RATES), { freq: 4 }) }), { minLength: 1, maxLength: 50 }),
    taxes: fc.uniqueArray(fc.constantFrom(...RATES), { maxLength: 2 }),
    discount: fc.oneof(fc.constant(null), fc.record({ type: fc.constant('percent' as const), hundredths: fc.integer({ min: 0, max: 10_000 }) }), fc.record({ type: fc.constant('amount' as const), share: fc.integer({ min: 0, max: 9_999 }) })),
    rounding: fc.constantFrom('line' as const, 'document' as const),
  }),
  { numRuns: SAMPLE, seed: 1102 },
);

describe(`${SAMPLE} random invoices: API = builder = PDF`, () => {
  it('every figure the API returns is what invoiceTotals computes and what the PDF prints', async () => {
    const owner = newPrincipal('owner');
    const db = h.service.ctx.database.db;
    await seedAgencyDetails(db, owner.agencyId);
    const clients = new Map<string, string>();
    for (const c of CURRENCIES) clients.set(c, await seedBillClient(db, owner.agencyId, { currency: c }));
    const api = serviceClient(h.url, owner);
    let rounding: string | null = null;
    let figuresChecked = 0;

    for (const [n, g] of sample.entries()) {
      const scale = minorUnits(g.currency);
      const maxPrice = 99_999n * 10n ** BigInt(scale) + (scale === 0 ? 0n : 10n ** BigInt(scale) - 1n);
      const lines = g.lines.map((l, i) => ({ description: `Line ${i + 1}`, quantity: decimal(BigInt(l.quantityMilli), 3), unitPrice: decimal((maxPrice * BigInt(l.priceFraction)) / 1_000_000n, scale), taxRate: l.lineRate }));
      const taxes = g.taxes.map((rate, i) => ({ name: i === 0 ? 'GST' : 'QST', rate }));
      const builderNoDiscount = invoiceTotals({ currency: g.currency, lines, taxes, rounding: g.rounding });
      const discount =
        g.discount === null
          ? null
          : g.discount.type === 'percent'
            ? { type: 'percent' as const, value: decimal(BigInt(g.discount.hundredths), 2) }
            : { type: 'amount' as const, value: decimal((builderNoDiscount.subtotal.minorUnitsExact() * BigInt(g.discount.share)) / 10_000n, scale) };
      const builder = invoiceTotals({ currency: g.currency, lines, taxes, discount, rounding: g.rounding });

      if (rounding !== g.rounding) {
        expect((await api('PATCH', '/api/settings/invoicing', { rounding: g.rounding })).status).toBe(200);
        rounding = g.rounding;
      }
      const created = await api('POST', '/api/invoices', {
        clientId: clients.get(g.currency),
        taxes,
        lineItems: lines,
        ...(discount ? { discountType: discount.type, discountValue: discount.value } : {}),
      });
      expect(created.status, `invoice ${n}: ${JSON.stringify(created.body)}`).toBe(201);
      const inv = created.body;

      // API = builder, figure by figure.
      expect(inv.lineItems.map((l: { amount: string }) => l.amount), `invoice ${n} lines`).toEqual(builder.lines.map((l) => l.amount.amount));
      expect({ subtotal: inv.subtotal, discountAmount: inv.discountAmount, taxAmount: inv.taxAmount, total: inv.total, amountDue: inv.amountDue }, `invoice ${n}`).toEqual({
        subtotal: builder.subtotal.amount,
        discountAmount: builder.discountAmount.amount,
        taxAmount: builder.taxAmount.amount,
        total: builder.total.amount,
        amountDue: builder.total.amount,
      });
      expect(inv.taxLines.map((t: { name: string | null; base: string; amount: string }) => [t.name, t.base, t.amount])).toEqual(builder.taxes.map((t) => [t.name, t.base.amount, t.amount.amount]));

      // PDF = API: every figure, formatted as the screen formats it, is in the rendered text.
      // A fresh internal token each time: they live a minute, and the sample can take longer.
      const pdf = await getBytes(h.url, `/api/invoices/${inv.id}/pdf`, await internalTokenFor(h.url, owner));
      expect(pdf.status).toBe(200);
      const text = await pdfText(pdf.bytes);
      // The text extraction collapses whitespace (Intl puts a no-break space after "BHD").
      const show = (amount: string) => formatMoney(Money.of(amount, g.currency), { locale: 'en-US' }).replace(/\s+/g, ' ');
      const figures = [
        inv.subtotal,
        inv.total,
        inv.amountDue,
        ...inv.taxLines.flatMap((t: { base: string; amount: string }) => [t.base, t.amount]),
        ...inv.lineItems.flatMap((l: { amount: string; unitPrice: string }) => [l.amount, l.unitPrice]),
      ].map(show);
      if (Money.of(inv.discountAmount, g.currency).isPositive()) figures.push(show(Money.of(inv.discountAmount, g.currency).negate().amount));
      const missing = figures.filter((f) => !text.includes(f));
      expect(missing, `invoice ${n}: figures missing from the PDF`).toEqual([]);
      figuresChecked += figures.length;
    }
    expect(figuresChecked).toBeGreaterThan(SAMPLE * 5);
  }, 900_000);
});
