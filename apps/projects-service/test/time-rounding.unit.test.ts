import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_STEPS, RoundingMode, type RoundingRule } from '@atelier/contracts';
import { DEFAULT_ROUNDING, roundMinutes } from '../src/time-entries/rounding.js';

const ROUNDING_MODES = RoundingMode.options;

const rule = fc.record({ mode: fc.constantFrom(...ROUNDING_MODES), minutes: fc.constantFrom(...ROUNDING_STEPS) }) as fc.Arbitrary<RoundingRule>;
const minutes = fc.integer({ min: 0, max: 24 * 60 });

describe('roundMinutes', () => {
  it('defaults to the nearest quarter hour', () => {
    expect(DEFAULT_ROUNDING).toEqual({ mode: 'nearest', minutes: 15 });
    expect([0, 7, 8, 22, 23, 52, 53].map((m) => roundMinutes(m, DEFAULT_ROUNDING))).toEqual([0, 0, 15, 15, 30, 45, 60]);
  });

  it.each([
    ['up', 15, 1, 15],
    ['up', 15, 15, 15],
    ['up', 15, 16, 30],
    ['down', 15, 14, 0],
    ['down', 15, 29, 15],
    ['nearest', 6, 2, 0],
    ['nearest', 6, 3, 6], // a tie rounds up
    ['nearest', 10, 5, 10],
    ['nearest', 30, 14, 0],
    ['nearest', 60, 90, 120],
    ['nearest', 60, 89, 60],
    ['up', 60, 1439, 1440],
    ['none', 15, 7, 7],
    ['up', 1, 7, 7],
  ] as const)('%s to %i: %i → %i', (mode, step, m, expected) => {
    expect(roundMinutes(m, { mode, minutes: step })).toBe(expected);
  });

  it('is never negative, lands on a multiple of the step, and moves by less than one step', () => {
    fc.assert(
      fc.property(rule, minutes, (r, m) => {
        const rounded = roundMinutes(m, r);
        expect(rounded).toBeGreaterThanOrEqual(0);
        if (r.mode === 'none') {
          expect(rounded).toBe(m);
          return;
        }
        expect(rounded % r.minutes).toBe(0);
        expect(Math.abs(rounded - m)).toBeLessThan(r.minutes);
      }),
    );
  });

  it('rounds in the direction of its mode, and nearest is the closest multiple (ties up)', () => {
    fc.assert(
      fc.property(rule, minutes, (r, m) => {
        const rounded = roundMinutes(m, r);
        if (r.mode === 'up') expect(rounded).toBeGreaterThanOrEqual(m);
        if (r.mode === 'down') expect(rounded).toBeLessThanOrEqual(m);
        if (r.mode === 'nearest') {
          const below = Math.floor(m / r.minutes) * r.minutes;
          const above = below === m ? m : below + r.minutes;
          expect(rounded).toBe(m - below < above - m ? below : above);
        }
      }),
    );
  });

  it('keeps exact multiples and is idempotent', () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 0, max: 96 }), (r, k) => {
        expect(roundMinutes(k * r.minutes, r)).toBe(k * r.minutes);
      }),
    );
    fc.assert(
      fc.property(rule, minutes, (r, m) => {
        expect(roundMinutes(roundMinutes(m, r), r)).toBe(roundMinutes(m, r));
      }),
    );
  });

  it('is monotonic: more time logged never bills less', () => {
    fc.assert(
      fc.property(rule, minutes, minutes, (r, a, b) => {
        expect(roundMinutes(Math.min(a, b), r)).toBeLessThanOrEqual(roundMinutes(Math.max(a, b), r));
      }),
    );
  });

  it('refuses negative or fractional minutes', () => {
    expect(() => roundMinutes(-1, DEFAULT_ROUNDING)).toThrow(RangeError);
    expect(() => roundMinutes(1.5, DEFAULT_ROUNDING)).toThrow(RangeError);
  });
});
