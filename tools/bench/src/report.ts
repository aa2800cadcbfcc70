import { TARGETS } from './config.js';
import type { CpuTimes } from './cpu.js';
import type { EventBenchResult } from './event-latency-bench.js';
import type { ExportBenchResult } from './export-bench.js';
import type { ImportBenchResults } from './import-bench.js';
import type { ListBenchResult } from './list-bench.js';
import type { LoginBenchResult } from './login-bench.js';
import type { LoadResult } from './load.js';
import { exportJson, exportRows, importJson, importRows, searchJson, searchRows } from './report-crm.js';
import type { ReorderBenchResult } from './reorder-bench.js';
import type { AttachmentBenchResult } from './attachment-bench.js';
import { attachmentJson, attachmentRows, reorderJson, reorderRows, timeReadJson, timeReadRows, timelogJson, timelogRows } from './report-projects.js';
import type { TimeReadResult, TimelogResult } from './time-bench.js';
import type { SearchBenchResult } from './search-bench.js';
import type { WebBenchResult } from './web-bench.js';
import { webJson, webRows } from './report-web.js';
import { fromTimeJson, fromTimeRows, invoiceListJson, invoiceListRows, pdfJson, pdfRows } from './report-billing.js';
import type { InvoiceListResult } from './invoice-list-bench.js';
import type { FromTimeResult } from './fromtime-bench.js';
import type { PdfBenchResult } from './pdf-bench.js';
import type { SeedResult } from './seed.js';
import type { CheckoutBenchResult, PaidBenchResult, WebhookBenchResult } from './payments-bench.js';
import { checkoutJson, checkoutRows, paidJson, paidRows, webhookJson, webhookRows } from './report-payments.js';
import { round } from './stats.js';
import { passes, type Row } from './table.js';

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

const CPU_ORDER = ['gateway', 'crm', 'projects', 'billing', 'payments', 'postgres', 'rabbitmq', 'stripe', 'bench', 'other'];
const CPU_LABEL: Record<string, string> = { bench: 'load gen', rabbitmq: 'broker', stripe: 'Stripe emulator', other: 'rest of machine' };
/**
 * Not in the total, as the issue counts it (every process of the platform, the broker included):
 * the load generator is the bench's, the Stripe emulator stands in for Stripe, and the rest of the
 * machine is not ours.
 */
const OUTSIDE = new Set(['bench', 'other', 'stripe']);

/** CPU ms of the platform's processes (the broker included, the load generator and the rest of the machine not). */
export const platformCpu = (cpu: CpuTimes): number => CPU_ORDER.filter((k) => !OUTSIDE.has(k)).reduce((sum, k) => sum + (cpu[k] ?? 0), 0);

/**
 * Where the CPU of one request or event went: the platform's processes in total, `gateway 0.41,
 * crm 0.95, …` as detail. With a baseline (main's figure on this machine, `BENCH_BASELINE_*`), the
 * total has the target: at most `TARGETS.cpuVsBaseline` of it.
 */
function cpuRow(scenario: string, unit: string, cpu: CpuTimes | null, baselineMs?: number): Row[] {
  if (!cpu) return [];
  const total = platformCpu(cpu);
  const detail = CPU_ORDER.filter((k) => (cpu[k] ?? 0) >= 0.05)
    .map((k) => `${CPU_LABEL[k] ?? k} ${cpu[k]!.toFixed(2)}`)
    .join(', ');
  if (!baselineMs) return [{ scenario, metric: `CPU per ${unit} (platform)`, value: total, unit: 'ms', detail }];
  const limit = Math.round(baselineMs * TARGETS.cpuVsBaseline * 100) / 100;
  return [
    {
      scenario,
      metric: `CPU per ${unit} (platform)`,
      value: total,
      unit: 'ms',
      target: { op: '<=', limit },
      detail: `${(total / baselineMs).toFixed(2)}x the baseline of ${baselineMs} ms; ${detail}`,
    },
  ];
}

const listRows = (scenario: string, r: LoadResult, baselineMs?: number): Row[] => [
  { scenario, metric: 'p50 latency', value: r.p50, unit: 'ms' },
  { scenario, metric: 'p99 latency', value: r.p99, unit: 'ms' },
  { scenario, metric: 'throughput', value: r.rps, unit: 'req/s', digits: 0 },
  ...cpuRow(scenario, 'request', r.cpu, baselineMs),
];

/** Main's CPU per event and per proxied list request on this machine: the baseline (0 leaves the target out). */
export interface CpuBaseline {
  eventMs: number;
  listMs: number;
}

export interface Host {
  cores: number;
  /** Cores kept busy while the platform sat idle just before measuring: other work on the machine skews every number. */
  busyCoresAtRest: number;
}

/** What each scenario measured; null for one that did not run. */
export interface Results {
  list: ListBenchResult | null;
  events: EventBenchResult | null;
  export: ExportBenchResult | null;
  search: SearchBenchResult | null;
  import: ImportBenchResults | null;
  login: LoginBenchResult | null;
  web: WebBenchResult | null;
  reorder: ReorderBenchResult | null;
  time: { result: TimeReadResult; seeded: { entries: number; agencies: number } } | null;
  timelog: TimelogResult | null;
  fromtime: FromTimeResult | null;
  invoicelist: InvoiceListResult | null;
  attachments: AttachmentBenchResult | null;
  pdf: PdfBenchResult | null;
  checkout: CheckoutBenchResult | null;
  webhooks: WebhookBenchResult | null;
  paid: PaidBenchResult | null;
}

export interface Seeds {
  /** The measured agency and the others. */
  clients: SeedResult;
  /** The agencies of the export and search scenarios, if they ran. */
  exportAgency: SeedResult | null;
  searchAgency: SeedResult | null;
}

export function buildRows(host: Host, r: Results, baseline: CpuBaseline = { eventMs: 0, listMs: 0 }): Row[] {
  return [
    {
      scenario: 'host',
      metric: 'cores busy before measuring',
      value: host.busyCoresAtRest,
      unit: `of ${host.cores}`,
      detail: 'with the platform idle; anything else running skews every number',
    },
    ...(r.list ? listBenchRows(r.list, baseline.listMs) : []),
    ...(r.events ? eventRows(r.events, baseline.eventMs) : []),
    ...(r.export ? exportRows(r.export, cpuRow) : []),
    ...(r.search ? searchRows(r.search, cpuRow) : []),
    ...(r.import ? importRows(r.import, cpuRow) : []),
    ...(r.login ? loginRows(r.login) : []),
    ...(r.web ? webRows(r.web) : []),
    ...(r.reorder ? reorderRows(r.reorder, cpuRow) : []),
    ...(r.time ? timeReadRows(r.time.result, r.time.seeded, cpuRow) : []),
    ...(r.timelog ? timelogRows(r.timelog, cpuRow) : []),
    ...(r.fromtime ? fromTimeRows(r.fromtime) : []),
    ...(r.invoicelist ? invoiceListRows(r.invoicelist, cpuRow) : []),
    ...(r.attachments ? attachmentRows(r.attachments) : []),
    ...(r.pdf ? pdfRows(r.pdf) : []),
    ...(r.checkout ? checkoutRows(r.checkout, cpuRow) : []),
    ...(r.webhooks ? webhookRows(r.webhooks, cpuRow) : []),
    ...(r.paid ? paidRows(r.paid) : []),
  ];
}

const loginRows = (l: LoginBenchResult): Row[] => [
  { scenario: 'login (argon2id)', metric: 'p50 latency', value: l.latency.p50, unit: 'ms', digits: 1, detail: `p99 ${f1(l.latency.p99)} over ${l.latency.count} sign-ins` },
  {
    scenario: 'login (argon2id)',
    metric: `of ${l.guesses} parallel wrong passwords answered`,
    value: l.answered,
    unit: '',
    digits: 0,
    target: { op: '<=', limit: l.limit },
    detail: `${l.throttled} got 429`,
  },
];

const listBenchRows = (list: ListBenchResult, baselineMs: number): Row[] => [
  ...listRows('client list via gateway', list.gateway, baselineMs),
  ...listRows('client list direct to crm', list.direct),
  { scenario: 'client list', metric: 'gateway p50 / direct p50', value: list.ratio, unit: '', target: { op: '<=', limit: TARGETS.gatewayOverheadRatio } },
];

function eventRows(events: EventBenchResult, baselineMs: number): Row[] {
  const ev = 'event: client created -> timeline';
  return [
    { scenario: ev, metric: 'p50 latency', value: events.endToEnd.p50, unit: 'ms', digits: 1 },
    { scenario: ev, metric: 'p99 latency', value: events.endToEnd.p99, unit: 'ms', digits: 1, target: { op: '<=', limit: TARGETS.eventP99Ms } },
    { scenario: ev, metric: 'max latency', value: events.endToEnd.max, unit: 'ms', digits: 1 },
    { scenario: ev, metric: 'timeline entries recorded', value: events.recorded, unit: '', digits: 0, target: { op: '>=', limit: events.sent } },
    {
      scenario: ev,
      metric: 'p99 occurred -> relay claim',
      value: events.relayPickup.p99,
      unit: 'ms',
      digits: 1,
      detail: `p50 ${f1(events.relayPickup.p50)}; ${events.relayBatches.count} relay batches of ${f1(events.relayBatches.meanSize)} events, one every ${f1(events.relayBatches.meanIntervalMs)} ms`,
    },
    {
      scenario: ev,
      metric: 'p99 relay claim -> timeline',
      value: events.toConsumer.crm.p99,
      unit: 'ms',
      digits: 1,
      detail: `p50 ${f1(events.toConsumer.crm.p50)}; replicas p50/p99: projects ${f1(events.toConsumer.projects.p50)}/${f1(events.toConsumer.projects.p99)}, billing ${f1(events.toConsumer.billing.p50)}/${f1(events.toConsumer.billing.p99)}`,
    },
    { scenario: ev, metric: 'p99 POST /api/clients', value: events.create.p99, unit: 'ms', digits: 1, detail: `p50 ${f1(events.create.p50)}` },
    {
      scenario: ev,
      metric: 'request rate achieved',
      value: events.achievedRatePerS,
      unit: 'req/s',
      digits: 1,
      // The load generator must keep its pace, or the latencies above were measured at a lower load.
      target: { op: '>=', limit: Math.round(events.ratePerS * 0.95 * 10) / 10 },
    },
    ...cpuRow(ev, 'event', events.cpu, baselineMs),
  ];
}

const cpuJson = (cpu: CpuTimes | null) => cpu && Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v, 3)]));
const loadJson = (r: LoadResult) => ({
  p50: round(r.p50),
  p99: round(r.p99),
  rps: round(r.rps, 0),
  requests: r.count,
  cpuMsPerRequest: cpuJson(r.cpu),
  cpuMsPerRequestTotal: r.cpu && round(platformCpu(r.cpu), 3),
});

/** One line of JSON for scripts and CI: every number of the table, and whether every target was met. */
export function machineLine(rows: Row[], host: Host, seeds: Seeds, r: Results): string {
  const { list, events } = r;
  const seed = seeds.clients;
  return JSON.stringify({
    bench: 'atelier',
    pass: rows.every((r) => passes(r) !== false),
    host: { cores: host.cores, busyCoresAtRest: round(host.busyCoresAtRest) },
    seed: {
      agencies: seed.agencies,
      clients: seed.clients,
      seconds: round(seed.seconds, 1),
      exportAgency: seeds.exportAgency && { clients: seeds.exportAgency.clients, seconds: round(seeds.exportAgency.seconds, 1) },
      searchAgency: seeds.searchAgency && { clients: seeds.searchAgency.clients, seconds: round(seeds.searchAgency.seconds, 1) },
    },
    clientList: list && { gateway: loadJson(list.gateway), direct: loadJson(list.direct), ratio: round(list.ratio, 3), target: TARGETS.gatewayOverheadRatio },
    eventLatency: events && {
      p50: round(events.endToEnd.p50, 1),
      p99: round(events.endToEnd.p99, 1),
      max: round(events.endToEnd.max, 1),
      recorded: events.recorded,
      sent: events.sent,
      target: TARGETS.eventP99Ms,
      cpuMsPerEvent: cpuJson(events.cpu),
      cpuMsPerEventTotal: events.cpu && round(platformCpu(events.cpu), 3),
    },
    csvExport: r.export && exportJson(r.export),
    search: r.search && searchJson(r.search),
    login: r.login && { p50: round(r.login.latency.p50, 1), p99: round(r.login.latency.p99, 1), guesses: r.login.guesses, answered: r.login.answered, throttled: r.login.throttled, limit: r.login.limit },
    csvImport: r.import && importJson(r.import),
    web: r.web && webJson(r.web),
    reorder: r.reorder && reorderJson(r.reorder),
    time: r.time && timeReadJson(r.time.result, r.time.seeded),
    timelog: r.timelog && timelogJson(r.timelog),
    fromTime: r.fromtime && fromTimeJson(r.fromtime),
    invoiceList: r.invoicelist && invoiceListJson(r.invoicelist),
    attachments: r.attachments && attachmentJson(r.attachments),
    pdf: r.pdf && pdfJson(r.pdf),
    checkout: r.checkout && checkoutJson(r.checkout),
    webhooks: r.webhooks && webhookJson(r.webhooks),
    paid: r.paid && paidJson(r.paid),
  });
}
