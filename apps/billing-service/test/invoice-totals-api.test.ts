import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money, invoiceTotals } from '@atelier/money';
import { rng, newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { seedClient } from './invoice-helpers.js';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBilling();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const RATES = ['0', '5', '7.5', '9.975', '19', '21'];

describe('the API stores exactly what libs/money computes', () => {
  it('random invoices (EUR, JPY, BHD; both roundings; discounts; per-line rates; named taxes): every figure equals invoiceTotals and adds up', async () => {
    const next = rng(2026);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const clients = { EUR: await seedClient(h.service.ctx.database.db, owner.agencyId, { currency: 'EUR' }), JPY: await seedClient(h.service.ctx.database.db, owner.agencyId, { currency: 'JPY' }), BHD: await seedClient(h.service.ctx.database.db, owner.agencyId, { currency: 'BHD' }) };
    for (let n = 0; n < 120; n++) {
      // 20 invoices per rounding mode, in turn.
      if (n % 20 === 0) await api('PATCH', '/api/settings/invoicing', { rounding: (n / 20) % 2 === 0 ? 'line' : 'document' });
      const currency = pick(['EUR', 'JPY', 'BHD'] as const);
      const scale = currency === 'JPY' ? 0 : currency === 'BHD' ? 3 : 2;
      const price = () => (next() * 99_999.99).toFixed(scale);
      const lineItems = Array.from({ length: 1 + Math.floor(next() * 12) }, () => ({
        description: 'Line',
        quantity: (0.001 + next() * 999).toFixed(3),
        unitPrice: price(),
        ...(next() < 0.2 ? { taxRate: pick(RATES) } : {}),
      }));
      const named = next() < 0.3;
      const taxes = named ? { taxes: [{ name: 'GST', rate: '5' }, { name: 'QST', rate: '9.975' }] } : { taxRate: pick(RATES) };
      const discount = next() < 0.3 ? { discountType: 'percent' as const, discountValue: pick(['5', '10', '12.5']) } : next() < 0.2 ? { discountType: 'amount' as const, discountValue: Money.round('1', currency).amount } : {};
      const res = await api('POST', '/api/invoices', { clientId: clients[currency], lineItems, ...taxes, ...discount });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const want = invoiceTotals({
        currency,
        rounding: (await api('GET', '/api/settings/invoicing')).body.rounding,
        lines: lineItems.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice, taxRate: l.taxRate ?? null })),
        discount: 'discountType' in discount ? { type: discount.discountType!, value: discount.discountValue! } : null,
        taxes: named ? taxes.taxes! : [{ name: null, rate: taxes.taxRate! }],
      });
      const got = res.body;
      expect(got.lineItems.map((l: { amount: string }) => l.amount)).toEqual(want.lines.map((l) => l.amount.amount));
      expect([got.subtotal, got.discountAmount, got.taxAmount, got.total]).toEqual([want.subtotal.amount, want.discountAmount.amount, want.taxAmount.amount, want.total.amount]);
      expect(got.taxLines.map((t: { amount: string }) => t.amount)).toEqual(want.taxes.map((t) => t.amount.amount));
      // Lines, discount and taxes add up to the total exactly, and nothing is paid yet.
      const sum = (xs: string[]) => xs.reduce((a, x) => a.plus(Money.of(x, currency)), Money.zero(currency));
      expect(sum(got.lineItems.map((l: { amount: string }) => l.amount)).minus(Money.of(got.discountAmount, currency)).plus(sum(got.taxLines.map((t: { amount: string }) => t.amount))).amount).toBe(got.total);
      expect(got.amountDue).toBe(got.total);
    }
  }, 120_000);
});
