import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, CURRENCY_CODES, fromStripeAmount, minorUnits, Money, ROUNDING_MODES, split, stripeDecimals, sum, toStripeAmount } from '../src/index.js';

const THREE_DECIMAL = ['BHD', 'JOD', 'KWD', 'OMR', 'TND'];

const currency = fc.constantFrom(...CURRENCY_CODES);
const units = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const money = (c: string) => units.map((u) => Money.fromMinorUnits(u, c));
const amountIn = currency.chain((c) => money(c));
const ratios = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }).filter((r) => r.some((x) => x > 0));
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 0, max: 8 }))
  .map(([negative, digits, scale]) => {
    const text = digits.toString().padStart(scale + 1, '0');
    const body = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
    return `${negative && digits !== 0n ? '-' : ''}${body}`;
  });

describe('money properties', () => {
  it('adding in any order and grouping gives the same sum, exactly the sum of the minor units', () => {
    fc.assert(
      fc.property(currency.chain((c) => fc.tuple(fc.constant(c), fc.array(money(c), { maxLength: 30 }))), ([c, list]) => {
        const total = sum(list, c);
        expect(sum([...list].reverse(), c).equals(total)).toBe(true);
        expect(total.minorUnitsExact()).toBe(list.reduce((acc, m) => acc + m.minorUnitsExact(), 0n));
        if (list.length > 0) expect(total.minus(list[0]!).equals(sum(list.slice(1), c))).toBe(true);
      }),
    );
  });

  it('allocation never loses or invents a minor unit, and no part is off by more than one from its exact share', () => {
    fc.assert(
      fc.property(amountIn, ratios, (amount, weights) => {
        const parts = allocate(amount, weights);
        expect(parts).toHaveLength(weights.length);
        expect(sum(parts, amount.currency).equals(amount)).toBe(true);
        const total = BigInt(weights.reduce((a, b) => a + b, 0));
        const whole = amount.minorUnitsExact();
        parts.forEach((part, i) => {
          const exactTimesTotal = whole * BigInt(weights[i]!);
          const diff = part.minorUnitsExact() * total - exactTimesTotal;
          expect(diff < 0n ? -diff : diff).toBeLessThan(total);
          if (weights[i] === 0) expect(part.isZero()).toBe(true);
        });
      }),
    );
  });

  it('splitting a negated amount gives the negated parts (symmetric)', () => {
    fc.assert(
      fc.property(amountIn, fc.integer({ min: 1, max: 20 }), (amount, n) => {
        const parts = split(amount, n).map((m) => m.amount);
        expect(split(amount.negate(), n).map((m) => m.negate().amount)).toEqual(parts);
      }),
    );
  });

  it('round trips through decimal strings and minor units', () => {
    fc.assert(
      fc.property(amountIn, (amount) => {
        expect(Money.of(amount.amount, amount.currency).equals(amount)).toBe(true);
        expect(Money.fromMinorUnits(amount.minorUnitsExact(), amount.currency).equals(amount)).toBe(true);
        const decimals = minorUnits(amount.currency);
        expect(amount.amount.split('.')[1]?.length ?? 0).toBe(decimals);
      }),
    );
  });

  it('round trips through Stripe amounts; what Stripe can count exactly survives unchanged', () => {
    const chargeable = currency.chain((c) => fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((u) => Money.fromMinorUnits(u, c)));
    fc.assert(
      fc.property(chargeable, (amount) => {
        const stripe = toStripeAmount(amount, 'halfAwayFromZero');
        const back = fromStripeAmount(stripe, amount.currency);
        expect(toStripeAmount(back)).toBe(stripe);
        const sameGrid = stripeDecimals(amount.currency) === minorUnits(amount.currency) && !THREE_DECIMAL.includes(amount.currency);
        if (sameGrid) expect(back.equals(amount)).toBe(true);
      }),
    );
  });

  it('every mode lands on a neighbour at the currency scale; symmetric modes mirror negative amounts', () => {
    fc.assert(
      fc.property(decimalText, currency, fc.constantFrom(...ROUNDING_MODES), (text, c, mode) => {
        const rounded = Money.round(text, c, mode);
        const neighbours = [Money.round(text, c, 'floor'), Money.round(text, c, 'ceil')];
        expect(neighbours.some((n) => n.equals(rounded))).toBe(true);
        expect(neighbours[0]!.compare(neighbours[1]!)).toBeLessThanOrEqual(0);
        const negated = text.startsWith('-') ? text.slice(1) : `-${text}`;
        if (mode !== 'ceil' && mode !== 'floor') expect(Money.round(negated, c, mode).equals(rounded.negate())).toBe(true);
      }),
    );
  });
});
