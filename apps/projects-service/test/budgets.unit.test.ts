import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetUsedPercent, forecastRunOutDate, newCrossings, reachedThresholds, type BudgetUsage } from '../src/budgets/thresholds.js';

const usage = (over: Partial<BudgetUsage>): BudgetUsage => ({ budgetHours: null, budgetAmount: null, usedMinutes: 0, amountUsed: '0.00', ...over });

describe('budget thresholds', () => {
  it('reaches 50, 80 and 100 % of an hours budget exactly at the boundary', () => {
    const h = (usedMinutes: number) => reachedThresholds(usage({ budgetHours: '10', usedMinutes })).map((c) => c.threshold);
    expect(h(299)).toEqual([]);
    expect(h(300)).toEqual([50]);
    expect(h(479)).toEqual([50]);
    expect(h(480)).toEqual([50, 80]);
    expect(h(599)).toEqual([50, 80]);
    expect(h(600)).toEqual([50, 80, 100]);
    expect(h(6000)).toEqual([50, 80, 100]);
  });

  it('handles fractional hours and money budgets exactly', () => {
    // 12.5 h: 80 % is 600 minutes
    expect(reachedThresholds(usage({ budgetHours: '12.5', usedMinutes: 599 })).map((c) => c.threshold)).toEqual([50]);
    expect(reachedThresholds(usage({ budgetHours: '12.5', usedMinutes: 600 })).map((c) => c.threshold)).toEqual([50, 80]);
    expect(reachedThresholds(usage({ budgetAmount: '1000.00', amountUsed: '799.99' }))).toEqual([{ kind: 'money', threshold: 50 }]);
    expect(reachedThresholds(usage({ budgetAmount: '1000.00', amountUsed: '800.00' }))).toEqual([
      { kind: 'money', threshold: 50 },
      { kind: 'money', threshold: 80 },
    ]);
    expect(reachedThresholds(usage({ budgetAmount: '1000', amountUsed: '500.00' }))).toEqual([{ kind: 'money', threshold: 50 }]);
  });

  it('tracks hours and money separately; no budget, or a zero one, reaches nothing', () => {
    const both = usage({ budgetHours: '10', budgetAmount: '1000.00', usedMinutes: 480, amountUsed: '500.00' });
    expect(reachedThresholds(both)).toEqual([
      { kind: 'hours', threshold: 50 },
      { kind: 'hours', threshold: 80 },
      { kind: 'money', threshold: 50 },
    ]);
    expect(reachedThresholds(usage({ usedMinutes: 10_000, amountUsed: '99999.00' }))).toEqual([]);
    expect(reachedThresholds(usage({ budgetHours: '0', usedMinutes: 10 }))).toEqual([]);
  });

  it('announces each threshold once: what was announced stays announced when usage drops and rises again', () => {
    const announced = reachedThresholds(usage({ budgetHours: '10', usedMinutes: 480 }));
    expect(newCrossings(usage({ budgetHours: '10', usedMinutes: 200 }), announced)).toEqual([]);
    expect(newCrossings(usage({ budgetHours: '10', usedMinutes: 500 }), announced)).toEqual([]);
    expect(newCrossings(usage({ budgetHours: '10', usedMinutes: 600 }), announced)).toEqual([{ kind: 'hours', threshold: 100 }]);
  });

  it('property: any path of usages announces each reached threshold exactly once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1200 }), { minLength: 1, maxLength: 30 }), (path) => {
        const announced: ReturnType<typeof reachedThresholds> = [];
        for (const usedMinutes of path) announced.push(...newCrossings(usage({ budgetHours: '10', usedMinutes }), announced));
        const keys = announced.map((c) => c.threshold);
        expect(new Set(keys).size).toBe(keys.length);
        const peak = Math.max(...path);
        expect(keys.sort((a, b) => a - b)).toEqual([50, 80, 100].filter((t) => peak * 100 >= t * 600));
      }),
    );
  });

  it('budgetUsedPercent is the larger share with one decimal', () => {
    expect(budgetUsedPercent(usage({ budgetHours: '10', usedMinutes: 100 }))).toBe('16.7');
    expect(budgetUsedPercent(usage({ budgetHours: '10', budgetAmount: '100.00', usedMinutes: 60, amountUsed: '90.00' }))).toBe('90.0');
    expect(budgetUsedPercent(usage({ budgetHours: '10', usedMinutes: 900 }))).toBe('150.0');
    expect(budgetUsedPercent(usage({}))).toBeNull();
  });
});

describe('forecastRunOutDate', () => {
  const base = { today: '2026-06-15', recentMinutes: 0, recentAmount: '0.00' };

  it('runs the rest of the budget out at the trailing 14 days’ average daily burn, rounded up to a day', () => {
    // 100 h budget, 40 h used, 14 h in the last 14 days → 1 h a day → 60 days left
    expect(forecastRunOutDate({ ...base, ...usage({ budgetHours: '100', usedMinutes: 40 * 60 }), recentMinutes: 14 * 60 })).toBe('2026-08-14');
    // 62 minutes a day needs 58.06… days → 59
    expect(forecastRunOutDate({ ...base, ...usage({ budgetHours: '100', usedMinutes: 40 * 60 }), recentMinutes: 14 * 62 })).toBe('2026-08-13');
  });

  it('takes the earlier of the hours and money budgets', () => {
    const u = usage({ budgetHours: '100', budgetAmount: '1000.00', usedMinutes: 0, amountUsed: '900.00' });
    // money: 100.00 left at 10.00 a day → 10 days; hours: 100 h at 1 h a day → 100 days
    expect(forecastRunOutDate({ ...base, ...u, recentMinutes: 14 * 60, recentAmount: '140.00' })).toBe('2026-06-25');
  });

  it('is today once the budget is used up, and null without a budget or recent burn', () => {
    expect(forecastRunOutDate({ ...base, ...usage({ budgetHours: '1', usedMinutes: 90 }), recentMinutes: 0 })).toBe('2026-06-15');
    expect(forecastRunOutDate({ ...base, ...usage({ budgetHours: '10', usedMinutes: 60 }) })).toBeNull();
    expect(forecastRunOutDate({ ...base, ...usage({}), recentMinutes: 500 })).toBeNull();
  });
});
