export interface Target {
  op: '<' | '<=' | '>=';
  limit: number;
}

export interface Row {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  digits?: number;
  target?: Target;
  /** Free text after the result column (a breakdown, a remark). */
  detail?: string;
}

function meets(value: number, { op, limit }: Target): boolean {
  if (op === '<') return value < limit;
  return op === '<=' ? value <= limit : value >= limit;
}

export const passes = (row: Row): boolean | null => (row.target ? Number.isFinite(row.value) && meets(row.value, row.target) : null);

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** A plain-text table with aligned columns: scenario, metric, value, target, result (and a free-text detail). */
export function renderTable(rows: Row[]): string {
  const header = ['scenario', 'metric', 'value', 'target', 'result', 'detail'];
  const cells = rows.map((r) => {
    const unit = r.unit ? ` ${r.unit}` : '';
    const ok = passes(r);
    return [
      r.scenario,
      r.metric,
      `${fmt(r.value, r.digits ?? 2)}${unit}`,
      r.target ? `${r.target.op} ${r.target.limit}${unit}` : '-',
      ok === null ? '' : ok ? 'PASS' : 'FAIL',
      r.detail ?? '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
