import { describe, expect, it } from 'vitest';
import { burnGeometry, cumulative, niceStep } from '../src/lib/components/projects/burn.js';
import { editableHours } from '../src/lib/format.js';

const box = { width: 400, height: 200, left: 40, right: 10, top: 10, bottom: 30 };

describe('budget burn chart', () => {
  it('adds the days up in date order', () => {
    expect(cumulative([{ date: '2026-03-03', hours: 2 }, { date: '2026-03-01', hours: 1.5 }, { date: '2026-03-02', hours: 0.25 }])).toEqual([
      { date: '2026-03-01', hours: 1.5 },
      { date: '2026-03-02', hours: 1.75 },
      { date: '2026-03-03', hours: 3.75 },
    ]);
    expect(cumulative([])).toEqual([]);
  });

  it('picks round steps', () => {
    expect(niceStep(40)).toBe(10);
    expect(niceStep(7)).toBe(2);
    expect(niceStep(0.3)).toBe(0.1);
    expect(niceStep(0)).toBe(1);
    expect(niceStep(1100)).toBe(500);
  });

  it('keeps the budget line and the last total inside the chart', () => {
    const g = burnGeometry(cumulative([{ date: '2026-03-01', hours: 10 }, { date: '2026-03-11', hours: 50 }]), 40, box);
    expect(g.budgetY).not.toBeNull();
    for (const p of g.points) expect(p.y).toBeGreaterThanOrEqual(box.top);
    expect(g.points[0]!.x).toBe(box.left);
    expect(g.points[1]!.x).toBe(box.width - box.right);
    // Over budget: the last point is above (smaller y than) the budget line.
    expect(g.points[1]!.y).toBeLessThan(g.budgetY!);
    expect(g.yTicks[0]).toEqual({ y: box.height - box.bottom, value: 0 });
    expect(g.xTicks.map((t) => t.date)).toEqual(['2026-03-01', '2026-03-11']);
    expect(g.line.startsWith(`M${box.left}.0,${box.height - box.bottom}.0`)).toBe(true);
  });

  it('draws one day in the middle, and nothing without time', () => {
    const one = burnGeometry([{ date: '2026-03-01', hours: 3 }], null, box);
    expect(one.points[0]!.x).toBe(box.left + (box.width - box.left - box.right) / 2);
    expect(one.budgetY).toBeNull();
    expect(burnGeometry([], 10, box).line).toBe('');
  });
});

describe('hours for editing', () => {
  it('drops trailing zeros only after the decimal point', () => {
    expect(['40.00', '12.50', '100', '0.25', '7.0', '', null].map(editableHours)).toEqual(['40', '12.5', '100', '0.25', '7', '', '']);
  });
});
