import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money } from '@atelier/money';
import { moneyText, normalDecimal } from '../src/invoices/decimals.js';

describe('moneyText', () => {
  it('agrees with Money.round for any NUMERIC(19,4) text in currencies of 0, 2 and 3 decimals', () => {
    const stored = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 9999 }))
      .map(([negative, whole, fraction]) => `${negative && (whole > 0n || fraction > 0) ? '-' : ''}${whole}.${String(fraction).padStart(4, '0')}`);
    fc.assert(
      fc.property(stored, fc.constantFrom('JPY', 'EUR', 'USD', 'BHD'), (v, currency) => {
        expect(moneyText(v, currency)).toBe(Money.round(v, currency).amount);
      }),
      { numRuns: 5_000 },
    );
  });

  it('cuts whole amounts short and rounds the rest', () => {
    expect(moneyText('1190.0000', 'EUR')).toBe('1190.00');
    expect(moneyText('500.0000', 'JPY')).toBe('500');
    expect(moneyText('1.2340', 'BHD')).toBe('1.234');
    expect(moneyText('-12.5000', 'EUR')).toBe('-12.50');
    expect(moneyText('0.0050', 'EUR')).toBe(Money.round('0.0050', 'EUR').amount);
    expect(moneyText('7', 'EUR')).toBe('7.00');
    expect(normalDecimal('19.0000')).toBe('19');
  });
});
