// Table rows and JSON of the CRM data scenarios: CSV import beside a raw COPY, CSV export, search.
import { TARGETS } from './config.js';
import type { CpuTimes } from './cpu.js';
import type { ExportBenchResult } from './export-bench.js';
import type { ImportBenchResult, ImportBenchResults } from './import-bench.js';
import type { EndpointResult, Measurement, SearchBenchResult } from './search-bench.js';
import { round } from './stats.js';
import type { Row } from './table.js';

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
const count = (n: number) => n.toLocaleString('en-US');
const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

type CpuRow = (scenario: string, unit: string, cpu: CpuTimes | null) => Row[];

export function importRows(results: ImportBenchResults, cpuRow: CpuRow): Row[] {
  const r = results.large;
  const small = results.small;
  const s = `CSV import: ${count(r.rows)} contacts`;
  const ratio = r.endToEndRowsPerS / r.indexed.rowsPerS;
  const scale = r.endToEndRowsPerS / small.endToEndRowsPerS;
  return [
    {
      scenario: s,
      metric: 'rows/s end to end',
      value: r.endToEndRowsPerS,
      unit: 'rows/s',
      digits: 0,
      detail:
        `upload start -> committed and consumed ${f1(r.endToEndSeconds)} s: upload ${f1(r.uploadSeconds)} s (${mb(r.fileBytes)} MB), ` +
        `commit -> completed ${f1(r.jobSeconds)} s, then ${f1(r.consumedAfterSeconds)} s until the timeline and billing's contacts replica had applied all ${r.events} bulk events`,
    },
    { scenario: s, metric: 'rows/s of the job', value: r.jobRowsPerS, unit: 'rows/s', digits: 0, detail: 'commit -> completed (the background job alone)' },
    {
      scenario: s,
      metric: 'faithful baseline rows/s',
      value: r.indexed.rowsPerS,
      unit: 'rows/s',
      digits: 0,
      detail: `the same rows linked to their clients in one INSERT ... SELECT into LIKE crm.contacts INCLUDING ALL (generated search key, every index) in ${f1(r.indexed.seconds)} s`,
    },
    {
      scenario: s,
      metric: 'end to end / faithful baseline',
      value: ratio,
      unit: '',
      digits: 3,
      target: { op: '>=', limit: TARGETS.importVsBaseline },
      detail: `the job alone: ${(r.jobRowsPerS / r.indexed.rowsPerS).toFixed(3)}; raw COPY into 7 text columns ${f0(r.copy.rowsPerS)} rows/s (end to end ${(r.endToEndRowsPerS / r.copy.rowsPerS).toFixed(3)}x of it)`,
    },
    {
      scenario: s,
      metric: `rate at ${count(r.rows)} / rate at ${count(small.rows)}`,
      value: scale,
      unit: '',
      digits: 3,
      target: { op: '>=', limit: TARGETS.importScaleRatio },
      detail: `end to end ${f0(small.endToEndRowsPerS)} rows/s at ${count(small.rows)} (baseline ${f0(small.indexed.rowsPerS)}, ${(small.endToEndRowsPerS / small.indexed.rowsPerS).toFixed(3)}x)`,
    },
    {
      scenario: s,
      metric: 'rows imported',
      value: r.created + r.updated,
      unit: '',
      digits: 0,
      target: { op: '>=', limit: r.rows },
      detail: `job ${r.status}; ${r.created} created, ${r.updated} updated, over ${r.clients} existing clients`,
    },
    { scenario: s, metric: 'rows failed', value: r.failed + small.failed, unit: '', digits: 0, target: { op: '<=', limit: 0 }, detail: r.firstError ?? small.firstError ?? '' },
    {
      scenario: s,
      metric: 'peak RSS of crm-service',
      value: Math.max(r.rss.peakMb, small.rss.peakMb),
      unit: 'MB',
      digits: 0,
      target: { op: '<', limit: TARGETS.crmRssMb },
      detail: `${f0(r.rss.startMb)} MB before the upload; ${r.rss.samples} samples, every 100 ms`,
    },
    { scenario: s, metric: 'events not yet relayed at completion', value: r.outboxBacklog, unit: '', digits: 0, detail: `of ${r.events} crm.contact.imported.v1, one per committed batch` },
    ...cpuRow(s, '1,000 rows', r.cpu),
  ];
}

export function exportRows(r: ExportBenchResult, cpuRow: CpuRow): Row[] {
  const s = `CSV export: ${count(r.expectedRows)} clients`;
  return [
    {
      scenario: s,
      metric: 'rows/s',
      value: r.rowsPerS,
      unit: 'rows/s',
      digits: 0,
      detail: `${mb(r.bytes)} MB in ${f1(r.seconds)} s, first byte after ${f0(r.firstByteMs)} ms`,
    },
    { scenario: s, metric: 'rows received', value: r.rows, unit: '', digits: 0, target: { op: '>=', limit: r.expectedRows } },
    {
      scenario: s,
      metric: 'peak RSS of crm-service',
      value: r.rss.peakMb,
      unit: 'MB',
      digits: 0,
      target: { op: '<', limit: TARGETS.crmRssMb },
      detail: `${f0(r.rss.startMb)} MB before; ${r.rss.samples} samples, every 100 ms`,
    },
    ...cpuRow(s, '1,000 rows', r.cpu),
  ];
}

const byKind = (m: Measurement) => `p99 by term: prefix ${f1(m.byKind.prefix.p99)}, middle ${f1(m.byKind.middle.p99)}, email ${f1(m.byKind.email.p99)}, no match ${f1(m.byKind.none.p99)}`;

export function searchRows(r: SearchBenchResult, cpuRow: CpuRow): Row[] {
  const s = `search: ${count(r.agencyClients)}-client agency`;
  const endpoint = (name: string, e: EndpointResult): Row[] => [
    { scenario: s, metric: `p50 ${name} at ${f0(r.ratePerS)}/s`, value: e.paced.p50, unit: 'ms', digits: 1, detail: `${e.paced.count} requests sent at a steady ${f0(r.ratePerS)}/s (achieved ${f0(e.paced.rps)}/s)` },
    { scenario: s, metric: `p99 ${name} at ${f0(r.ratePerS)}/s`, value: e.paced.p99, unit: 'ms', digits: 1, target: { op: '<=', limit: TARGETS.searchP99Ms }, detail: byKind(e.paced) },
    ...cpuRow(s, `request (${name.split('?')[0]})`, e.paced.cpu),
    {
      scenario: s,
      metric: `saturated: ${name}`,
      value: e.saturated.rps,
      unit: 'req/s',
      digits: 0,
      detail: `${r.connections} connections back to back: p50 ${f1(e.saturated.p50)} ms, p99 ${f1(e.saturated.p99)} ms (a full CPU queue, not a target)`,
    },
  ];
  return [...endpoint('GET /api/search?q=', r.search), ...endpoint('GET /api/clients?search=', r.list)];
}

const cpuJson = (cpu: CpuTimes | null) => cpu && Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v, 3)]));
const measurementJson = (m: Measurement) => ({
  p50: round(m.p50),
  p99: round(m.p99),
  max: round(m.max),
  rps: round(m.rps, 0),
  requests: m.count,
  p99ByKind: Object.fromEntries(Object.entries(m.byKind).map(([k, v]) => [k, round(v.p99)])),
  cpuMsPerRequest: cpuJson(m.cpu),
});
const endpointJson = (e: EndpointResult) => ({ paced: measurementJson(e.paced), saturated: measurementJson(e.saturated) });

const importRoundJson = (r: ImportBenchResult) => ({
  rows: r.rows,
  clients: r.clients,
  fileMB: round(r.fileBytes / (1024 * 1024), 1),
  copyRowsPerS: round(r.copy.rowsPerS, 0),
  baselineRowsPerS: round(r.indexed.rowsPerS, 0),
  endToEndRowsPerS: round(r.endToEndRowsPerS, 0),
  jobRowsPerS: round(r.jobRowsPerS, 0),
  ratio: round(r.endToEndRowsPerS / r.indexed.rowsPerS, 3),
  jobRatio: round(r.jobRowsPerS / r.indexed.rowsPerS, 3),
  uploadSeconds: round(r.uploadSeconds, 2),
  jobSeconds: round(r.jobSeconds, 2),
  consumedAfterSeconds: round(r.consumedAfterSeconds, 2),
  events: r.events,
  status: r.status,
  created: r.created,
  updated: r.updated,
  failed: r.failed,
  peakRssMB: round(r.rss.peakMb, 0),
  startRssMB: round(r.rss.startMb, 0),
  outboxBacklog: r.outboxBacklog,
  cpuMsPer1000Rows: cpuJson(r.cpu),
});

export const importJson = (r: ImportBenchResults) => ({
  small: importRoundJson(r.small),
  large: importRoundJson(r.large),
  scale: round(r.large.endToEndRowsPerS / r.small.endToEndRowsPerS, 3),
  targets: { ratio: TARGETS.importVsBaseline, scale: TARGETS.importScaleRatio, rssMB: TARGETS.crmRssMb },
});

export const exportJson = (r: ExportBenchResult) => ({
  rows: r.rows,
  expected: r.expectedRows,
  MB: round(r.bytes / (1024 * 1024), 1),
  seconds: round(r.seconds, 2),
  rowsPerS: round(r.rowsPerS, 0),
  firstByteMs: round(r.firstByteMs, 0),
  peakRssMB: round(r.rss.peakMb, 0),
  startRssMB: round(r.rss.startMb, 0),
  rssTargetMB: TARGETS.crmRssMb,
  cpuMsPer1000Rows: cpuJson(r.cpu),
});

export const searchJson = (r: SearchBenchResult) => ({
  agencyClients: r.agencyClients,
  ratePerS: r.ratePerS,
  connections: r.connections,
  terms: r.terms,
  search: endpointJson(r.search),
  clientList: endpointJson(r.list),
  target: TARGETS.searchP99Ms,
});
