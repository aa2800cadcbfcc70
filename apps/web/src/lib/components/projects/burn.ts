/**
 * The budget burn chart's numbers, apart from the drawing: cumulative hours per work day and
 * the scales that place them against the budget line. Display only, so plain numbers.
 */

export interface DayHours {
  /** `YYYY-MM-DD` */
  date: string;
  hours: number;
}

/** Running totals by day, in date order (days without time are not points). */
export function cumulative(days: readonly DayHours[]): DayHours[] {
  let total = 0;
  return [...days]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((d) => ({ date: d.date, hours: (total += d.hours) }));
}

/** Days since the epoch of a `YYYY-MM-DD`. */
export const dayNumber = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;

/** A round step (1, 2 or 5 × 10ⁿ) that splits 0..max into about `count` parts. */
export function niceStep(max: number, count = 4): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const f = raw / magnitude;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
}

export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface BurnGeometry {
  /** SVG path of the cumulative line (empty without points). */
  line: string;
  points: { x: number; y: number; date: string; hours: number }[];
  /** y of the budget line, null without an hours budget. */
  budgetY: number | null;
  yTicks: { y: number; value: number }[];
  xTicks: { x: number; date: string }[];
}

/** Where everything goes in `box`; the y scale always shows the budget line and the last total. */
export function burnGeometry(points: readonly DayHours[], budget: number | null, box: ChartBox): BurnGeometry {
  const innerW = box.width - box.left - box.right;
  const innerH = box.height - box.top - box.bottom;
  const top = Math.max(budget ?? 0, ...points.map((p) => p.hours), 1);
  const step = niceStep(top * 1.1);
  const yMax = Math.ceil((top * 1.1) / step) * step;
  const y = (h: number): number => box.top + innerH - (h / yMax) * innerH;
  const first = points[0] ? dayNumber(points[0].date) : 0;
  const last = points.at(-1) ? dayNumber(points.at(-1)!.date) : 0;
  const span = last - first;
  const x = (date: string): number => box.left + (span === 0 ? innerW / 2 : ((dayNumber(date) - first) / span) * innerW);
  const placed = points.map((p) => ({ x: x(p.date), y: y(p.hours), date: p.date, hours: p.hours }));
  // The line starts from zero on the first day, so one day of time still draws a rise.
  const start = placed[0] ? `M${placed[0].x.toFixed(1)},${y(0).toFixed(1)}` : '';
  const line = placed.length ? `${start} ${placed.map((p) => `L${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}` : '';
  const yTicks: { y: number; value: number }[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) yTicks.push({ y: y(v), value: Number(v.toFixed(6)) });
  const xTicks = placed.length <= 1 ? placed.map((p) => ({ x: p.x, date: p.date })) : [placed[0]!, placed.at(-1)!].map((p) => ({ x: p.x, date: p.date }));
  return { line, points: placed, budgetY: budget === null ? null : y(budget), yTicks, xTicks };
}
