import { TARGETS } from './config.js';
import type { CpuTimes } from './cpu.js';
import type { FromTimeResult } from './fromtime-bench.js';
import type { InvoiceListResult } from './invoice-list-bench.js';
import type { PdfBenchResult } from './pdf-bench.js';
import { round } from './stats.js';
import type { Row } from './table.js';

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

export function pdfRows(r: PdfBenchResult): Row[] {
  const pooled = `invoice PDF, 1 page, pooled (${r.concurrency} concurrent)`;
  const fresh = `invoice PDF, 1 page, browser per PDF (${r.concurrency} concurrent)`;
  return [
    { scenario: pooled, metric: 'p50 latency', value: r.pooled.p50, unit: 'ms', digits: 1, target: { op: '<=', limit: TARGETS.pdfPooledP50Ms }, detail: `p99 ${f1(r.pooled.p99)} over ${r.pooled.count} PDFs of ${(r.pdfBytes / 1024).toFixed(0)} KB` },
    { scenario: pooled, metric: 'p99 latency', value: r.pooled.p99, unit: 'ms', digits: 1 },
    { scenario: fresh, metric: 'p50 latency', value: r.fresh.p50, unit: 'ms', digits: 1, detail: `p99 ${f1(r.fresh.p99)} over ${r.fresh.count} PDFs (launch, page, print, close)` },
    { scenario: fresh, metric: 'p99 latency', value: r.fresh.p99, unit: 'ms', digits: 1 },
    { scenario: 'invoice PDF', metric: 'browser per PDF p50 / pooled p50', value: r.ratio, unit: 'x', digits: 1, target: { op: '>=', limit: TARGETS.pdfPooledSpeedup } },
    {
      scenario: `invoice PDF, ${r.large.lines} lines, pooled`,
      metric: 'p50 latency',
      value: r.large.p50,
      unit: 'ms',
      digits: 0,
      target: { op: '<=', limit: TARGETS.pdfLargeMs },
      detail: `max ${r.large.max.toFixed(0)} over ${r.large.count} PDFs of ${r.large.pages} pages`,
    },
    {
      scenario: 'invoice PDF, pooled',
      metric: 'peak RSS, process + browser',
      value: r.rss.processMb + r.rss.browserMb,
      unit: 'MB',
      digits: 0,
      detail: `the renderer's process ${r.rss.processMb.toFixed(0)} MB, its browser ${r.rss.browserMb.toFixed(0)} MB over ${r.rss.browserProcesses} processes (PSS ${r.rss.browserPssMb.toFixed(0)} MB: shared pages once)`,
    },
  ];
}

export const pdfJson = (r: PdfBenchResult) => ({
  concurrency: r.concurrency,
  pooled: { p50: round(r.pooled.p50, 1), p99: round(r.pooled.p99, 1), count: r.pooled.count, target: TARGETS.pdfPooledP50Ms },
  fresh: { p50: round(r.fresh.p50, 1), p99: round(r.fresh.p99, 1), count: r.fresh.count },
  ratio: round(r.ratio, 2),
  ratioTarget: TARGETS.pdfPooledSpeedup,
  large: { lines: r.large.lines, pages: r.large.pages, p50: round(r.large.p50, 0), max: round(r.large.max, 0), target: TARGETS.pdfLargeMs },
  rssMb: { process: round(r.rss.processMb, 0), browser: round(r.rss.browserMb, 0), browserPss: round(r.rss.browserPssMb, 0), browserProcesses: r.rss.browserProcesses },
});

export function fromTimeRows(r: FromTimeResult): Row[] {
  const scenario = `invoice draft from ${r.entries} unbilled entries (via gateway, ${r.draft.count} drafts)`;
  return [
    { scenario, metric: 'POST /api/invoices/from-time p50', value: r.draft.p50, unit: 'ms', digits: 0, detail: `${r.lines} lines by task` },
    { scenario, metric: 'POST /api/invoices/from-time max', value: r.draft.max, unit: 'ms', digits: 0, target: { op: '<=', limit: TARGETS.fromTimeMs } },
    { scenario, metric: 'answered → all reserved in projects p50', value: r.reserved.p50, unit: 'ms', digits: 0, detail: `max ${r.reserved.max.toFixed(0)}; drafted event to projects, billing_changed back to billing's replica` },
  ];
}

export const fromTimeJson = (r: FromTimeResult) => ({
  entries: r.entries,
  lines: r.lines,
  drafts: r.draft.count,
  draftP50: round(r.draft.p50, 1),
  draftMax: round(r.draft.max, 1),
  reservedP50: round(r.reserved.p50, 1),
  target: TARGETS.fromTimeMs,
});

export function invoiceListRows(r: InvoiceListResult, cpuRow: (scenario: string, unit: string, cpu: CpuTimes | null) => Row[]): Row[] {
  const scenario = `invoice list (${r.invoices} invoices of one agency, ${f1(r.achievedRatePerS)}/s, via gateway)`;
  return [
    { scenario, metric: 'GET /api/invoices p50', value: r.latency.p50, unit: 'ms', digits: 1 },
    { scenario, metric: 'GET /api/invoices p99', value: r.latency.p99, unit: 'ms', digits: 1, target: { op: '<=', limit: TARGETS.invoiceListP99Ms }, detail: `max ${f1(r.latency.max)} over ${r.latency.count}: first page, overdue tab, a client's by issue date; seeded in ${f1(r.seedSeconds)} s` },
    ...cpuRow(scenario, 'request', r.cpu),
  ];
}

export const invoiceListJson = (r: InvoiceListResult) => ({
  invoices: r.invoices,
  ratePerS: r.ratePerS,
  achievedRatePerS: round(r.achievedRatePerS, 1),
  p50: round(r.latency.p50, 1),
  p99: round(r.latency.p99, 1),
  max: round(r.latency.max, 1),
  target: TARGETS.invoiceListP99Ms,
});
