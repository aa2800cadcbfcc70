import { describe, expect, it } from 'vitest';
import { assertCadence, dailyAt, everyMinutes, latestSlot, retryDelayMs } from '../src/jobs/index.js';

const at = (iso: string) => new Date(iso);

describe('latestSlot', () => {
  it('puts every-N-minutes slots on multiples of N since the epoch', () => {
    expect(latestSlot(everyMinutes(15), at('2026-05-04T10:44:59.999Z')).toISOString()).toBe('2026-05-04T10:30:00.000Z');
    expect(latestSlot(everyMinutes(15), at('2026-05-04T10:45:00Z')).toISOString()).toBe('2026-05-04T10:45:00.000Z');
    expect(latestSlot(everyMinutes(1), at('2026-05-04T10:00:30Z')).toISOString()).toBe('2026-05-04T10:00:00.000Z');
  });

  it('gives the daily slot of today once it has passed, else yesterday’s', () => {
    const nine = dailyAt('09:00', 'Europe/Berlin');
    expect(latestSlot(nine, at('2026-03-29T06:59:59Z')).toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(latestSlot(nine, at('2026-03-29T07:00:00Z')).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(latestSlot(nine, at('2026-10-25T07:30:00Z')).toISOString()).toBe('2026-10-24T07:00:00.000Z');
    expect(latestSlot(nine, at('2026-10-25T08:00:00Z')).toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('keeps one slot through a fall-back fold', () => {
    const halfTwo = dailyAt('02:30', 'America/New_York');
    const first = latestSlot(dailyAt('01:30', 'America/New_York'), at('2026-11-01T05:30:00Z')).toISOString();
    const second = latestSlot(dailyAt('01:30', 'America/New_York'), at('2026-11-01T06:45:00Z')).toISOString(); // 01:45 EST, the second 01:30 passed
    expect(first).toBe('2026-11-01T05:30:00.000Z');
    expect(second).toBe(first);
    expect(latestSlot(halfTwo, at('2026-03-08T08:00:00Z')).toISOString()).toBe('2026-03-08T07:30:00.000Z'); // gap: 03:30 EDT
  });

  it('refuses cadences that cannot be scheduled', () => {
    expect(() => assertCadence(everyMinutes(0))).toThrow(RangeError);
    expect(() => assertCadence(everyMinutes(1.5))).toThrow(RangeError);
    expect(() => assertCadence(dailyAt('9:00', 'Europe/Berlin'))).toThrow(RangeError);
    expect(() => assertCadence(dailyAt('09:00', 'Europe/Atlantis'))).toThrow(RangeError);
    expect(() => assertCadence(dailyAt('09:00', 'Australia/Sydney'))).not.toThrow();
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base and stops at the cap', () => {
    const backoff = { baseMs: 1_000, maxMs: 5_000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, backoff))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});
