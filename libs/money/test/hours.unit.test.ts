import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/decimal.js';
import { hoursOf, minutesOf } from '../src/index.js';

describe('hours from minutes', () => {
  it('shows minutes / 60 at two decimals, half away from zero', () => {
    expect(hoursOf(0)).toBe('0.00');
    expect(hoursOf(15)).toBe('0.25');
    expect(hoursOf(20)).toBe('0.33');
    expect(hoursOf(40)).toBe('0.67');
    expect(hoursOf(90)).toBe('1.50');
    expect(hoursOf(1)).toBe('0.02');
    expect(hoursOf(-20)).toBe('-0.33');
    expect(hoursOf(6000)).toBe('100.00');
  });

  it('agrees with exact decimal arithmetic for any whole number of minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (m) => {
        const exact = new Decimal(String(Math.abs(m))).div('60').round(2, 1);
        expect(hoursOf(m)).toBe(`${m < 0 && !exact.eq('0') ? '-' : ''}${exact.toFixed(2)}`);
      }),
    );
  });

  it('reads decimal hours back as whole minutes', () => {
    expect(minutesOf('1.25')).toBe(75);
    expect(minutesOf('0.33')).toBe(20);
    expect(minutesOf('120.5')).toBe(7230);
    expect(() => hoursOf(1.5)).toThrow();
  });
});
