import { TARGETS } from './config.js';
import type { CpuTimes } from './cpu.js';
import type { AttachmentBenchResult } from './attachment-bench.js';
import type { ReorderBenchResult } from './reorder-bench.js';
import type { TimeReadResult, TimelogResult } from './time-bench.js';
import { round } from './stats.js';
import type { Row } from './table.js';

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

export function reorderRows(r: ReorderBenchResult, cpuRow: (scenario: string, unit: string, cpu: CpuTimes | null) => Row[]): Row[] {
  const scenario = `task board reorder (${r.tasks} tasks, via gateway)`;
  return [
    { scenario, metric: 'p50 latency', value: r.latency.p50, unit: 'ms', digits: 1 },
    {
      scenario,
      metric: 'p99 latency',
      value: r.latency.p99,
      unit: 'ms',
      digits: 1,
      target: { op: '<=', limit: TARGETS.reorderP99Ms },
      detail: `max ${f1(r.latency.max)} over ${r.latency.count} drags, ${r.acrossColumns} of them to another column`,
    },
    ...cpuRow(scenario, 'reorder', r.cpu),
  ];
}

export const reorderJson = (r: ReorderBenchResult) => ({
  tasks: r.tasks,
  drags: r.latency.count,
  acrossColumns: r.acrossColumns,
  p50: round(r.latency.p50, 1),
  p99: round(r.latency.p99, 1),
  max: round(r.latency.max, 1),
  target: TARGETS.reorderP99Ms,
});

export function timeReadRows(r: TimeReadResult, seeded: { entries: number; agencies: number }, cpuRow: (scenario: string, unit: string, cpu: CpuTimes | null) => Row[]): Row[] {
  const scenario = `time reads (${seeded.entries} entries of one agency among ${seeded.agencies}, ${f1(r.achievedRatePerS)}/s, via gateway)`;
  const row = (label: string, s: TimeReadResult['timesheet']): Row[] => [
    { scenario, metric: `${label} p50`, value: s.p50, unit: 'ms', digits: 1 },
    { scenario, metric: `${label} p99`, value: s.p99, unit: 'ms', digits: 1, target: { op: '<=', limit: TARGETS.timeReadP99Ms }, detail: `max ${f1(s.max)} over ${s.count} requests` },
  ];
  return [...row('timesheet week', r.timesheet), ...row('project summary', r.summary), ...cpuRow(scenario, 'request', r.cpu)];
}

export const timeReadJson = (r: TimeReadResult, seeded: { entries: number; agencies: number }) => ({
  entries: seeded.entries,
  agencies: seeded.agencies,
  ratePerS: r.ratePerS,
  achievedRatePerS: round(r.achievedRatePerS, 1),
  timesheet: { p50: round(r.timesheet.p50, 1), p99: round(r.timesheet.p99, 1), max: round(r.timesheet.max, 1), count: r.timesheet.count },
  summary: { p50: round(r.summary.p50, 1), p99: round(r.summary.p99, 1), max: round(r.summary.max, 1), count: r.summary.count },
  target: TARGETS.timeReadP99Ms,
});

export function timelogRows(r: TimelogResult, cpuRow: (scenario: string, unit: string, cpu: CpuTimes | null) => Row[]): Row[] {
  const scenario = `time entry logged → timeline budget entry (${f1(r.achievedRatePerS)}/s)`;
  return [
    { scenario, metric: 'POST /api/time-entries p50', value: r.log.p50, unit: 'ms', digits: 1 },
    { scenario, metric: 'logged → timeline p50', value: r.toTimeline.p50, unit: 'ms', digits: 1 },
    {
      scenario,
      metric: 'logged → timeline p99',
      value: r.toTimeline.p99,
      unit: 'ms',
      digits: 1,
      target: { op: '<=', limit: TARGETS.timelogP99Ms },
      detail: `${r.recorded} of ${r.toTimeline.count} recorded; event occurred → recorded p50/p99 ${f1(r.eventToTimeline.p50)}/${f1(r.eventToTimeline.p99)}`,
    },
    {
      scenario,
      metric: 'logged → billing unbilled view p99',
      value: r.toBilling.p99,
      unit: 'ms',
      digits: 1,
      target: { op: '<=', limit: TARGETS.timelogP99Ms },
      detail: `${r.inBilling} of ${r.log.count} in billing.time_entries; p50 ${f1(r.toBilling.p50)}`,
    },
    ...cpuRow(scenario, 'entry', r.cpu),
  ];
}

export const timelogJson = (r: TimelogResult) => ({
  ratePerS: r.ratePerS,
  achievedRatePerS: round(r.achievedRatePerS, 1),
  recorded: r.recorded,
  logP50: round(r.log.p50, 1),
  toTimelineP50: round(r.toTimeline.p50, 1),
  toTimelineP99: round(r.toTimeline.p99, 1),
  eventToTimelineP99: round(r.eventToTimeline.p99, 1),
  inBilling: r.inBilling,
  toBillingP50: round(r.toBilling.p50, 1),
  toBillingP99: round(r.toBilling.p99, 1),
  target: TARGETS.timelogP99Ms,
});

export function attachmentRows(r: AttachmentBenchResult): Row[] {
  const scenario = `attachment ${Math.round(r.bytes / 2 ** 20)} MB (via gateway, ${r.rounds} rounds)`;
  const growth = (x: AttachmentBenchResult['upload']) => x.rss.peakMb - x.rss.startMb;
  return [
    { scenario, metric: 'upload throughput', value: r.upload.mbPerS, unit: 'MB/s', digits: 1, detail: `median; each ${r.upload.all.map(f1).join(', ')}` },
    { scenario, metric: 'download throughput', value: r.download.mbPerS, unit: 'MB/s', digits: 1, detail: `median; each ${r.download.all.map(f1).join(', ')}` },
    { scenario, metric: 'crm peak RSS, uploads', value: r.upload.rss.peakMb, unit: 'MB', digits: 0, detail: `+${f1(growth(r.upload))} MB over ${f1(r.upload.rss.startMb)} MB at start` },
    { scenario, metric: 'crm peak RSS, downloads', value: r.download.rss.peakMb, unit: 'MB', digits: 0, detail: `+${f1(growth(r.download))} MB over ${f1(r.download.rss.startMb)} MB at start` },
  ];
}

export const attachmentJson = (r: AttachmentBenchResult) => ({
  mb: round(r.bytes / 2 ** 20, 1),
  rounds: r.rounds,
  uploadMbPerS: round(r.upload.mbPerS, 1),
  downloadMbPerS: round(r.download.mbPerS, 1),
  crmPeakRssMb: { upload: round(r.upload.rss.peakMb, 0), download: round(r.download.rss.peakMb, 0), atStart: round(r.upload.rss.startMb, 0) },
});
