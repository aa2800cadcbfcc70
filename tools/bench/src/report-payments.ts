import { TARGETS } from './config.js';
import type { CpuTimes } from './cpu.js';
import type { CheckoutBenchResult, PaidBenchResult, WebhookBenchResult } from './payments-bench.js';
import { round } from './stats.js';
import type { Row } from './table.js';

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
type CpuRow = (scenario: string, unit: string, cpu: CpuTimes | null) => Row[];
const cpuJson = (cpu: CpuTimes) => Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v, 3)]));

export function checkoutRows(r: CheckoutBenchResult, cpuRow: CpuRow): Row[] {
  const scenario = `checkout session (POST /api/payments/checkout via gateway, ${f1(r.achievedRatePerS)}/s, Stripe emulator)`;
  return [
    { scenario, metric: 'p50 latency', value: r.latency.p50, unit: 'ms', digits: 1 },
    { scenario, metric: 'p99 latency', value: r.latency.p99, unit: 'ms', digits: 1, detail: `max ${f1(r.latency.max)} over ${r.latency.count} sessions, each for its own issued invoice; Stripe emulator ${f1(r.cpu.stripe ?? 0)} ms CPU a session (not in the platform's total)` },
    ...cpuRow(scenario, 'session', r.cpu),
  ];
}

export const checkoutJson = (r: CheckoutBenchResult) => ({
  sessions: r.latency.count,
  ratePerS: r.ratePerS,
  achievedRatePerS: round(r.achievedRatePerS, 1),
  p50: round(r.latency.p50, 1),
  p99: round(r.latency.p99, 1),
  max: round(r.latency.max, 1),
  cpuMsPerSession: cpuJson(r.cpu),
});

export function webhookRows(r: WebhookBenchResult, cpuRow: CpuRow): Row[] {
  const scenario = `webhook intake (signed Stripe events via gateway, ${r.invoicesPerRun} paid invoices a run, ${Math.round(r.duplicateShare * 100)} % duplicates, reordered)`;
  const mix = Object.entries(r.types)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
  const all = r.paced.deliveries + r.closed.deliveries;
  return [
    {
      scenario,
      metric: `throughput, ${r.closed.concurrency} connections back to back`,
      value: r.closed.eventsPerS,
      unit: 'events/s',
      digits: 0,
      target: { op: '>=', limit: TARGETS.webhookEventsPerS },
      detail: `p50 ${f1(r.closed.latency.p50)}, p99 ${f1(r.closed.latency.p99)} ms at that load; ${r.closed.deliveries} deliveries of ${r.closed.distinct} events`,
    },
    {
      scenario,
      metric: `p99 to the 2xx at ${r.paced.ratePerS}/s`,
      value: r.paced.latency.p99,
      unit: 'ms',
      digits: 1,
      target: { op: '<=', limit: TARGETS.webhookP99Ms },
      detail: `p50 ${f1(r.paced.latency.p50)}, max ${f1(r.paced.latency.max)}; ${r.paced.deliveries} deliveries of ${r.paced.distinct} events: ${mix}`,
    },
    {
      scenario,
      metric: 'delivery rate achieved',
      value: r.paced.achievedRatePerS,
      unit: 'events/s',
      digits: 1,
      // The load generator must keep its pace, or the p99 above was measured at a lower load.
      target: { op: '>=', limit: Math.round(r.paced.ratePerS * 0.95 * 10) / 10 },
    },
    {
      scenario,
      metric: 'deliveries answered 2xx',
      value: all - r.paced.non2xx - r.closed.non2xx,
      unit: '',
      digits: 0,
      target: { op: '>=', limit: all },
      detail: 'then checked: one ledger row per distinct event, none failed, one succeeded payment per invoice, billing shows each paid',
    },
    {
      scenario,
      metric: `payments-service CPU per event at ${r.paced.ratePerS}/s`,
      value: r.paced.cpu.payments ?? Number.NaN,
      unit: 'ms',
      digits: 2,
      detail: `${f1(r.closed.cpu.payments ?? Number.NaN)} back to back; Stripe emulator (the PaymentIntent fetched) ${(r.paced.cpu.stripe ?? 0).toFixed(2)} ms, not in the platform's total`,
    },
    ...cpuRow(scenario, `event at ${r.paced.ratePerS}/s`, r.paced.cpu),
  ];
}

export const webhookJson = (r: WebhookBenchResult) => ({
  invoicesPerRun: r.invoicesPerRun,
  duplicateShare: r.duplicateShare,
  types: r.types,
  paced: {
    ratePerS: r.paced.ratePerS,
    achievedRatePerS: round(r.paced.achievedRatePerS, 1),
    deliveries: r.paced.deliveries,
    distinct: r.paced.distinct,
    p50: round(r.paced.latency.p50, 1),
    p99: round(r.paced.latency.p99, 1),
    max: round(r.paced.latency.max, 1),
    non2xx: r.paced.non2xx,
    cpuMsPerEvent: cpuJson(r.paced.cpu),
    target: TARGETS.webhookP99Ms,
  },
  closed: {
    concurrency: r.closed.concurrency,
    eventsPerS: round(r.closed.eventsPerS, 0),
    deliveries: r.closed.deliveries,
    distinct: r.closed.distinct,
    p50: round(r.closed.latency.p50, 1),
    p99: round(r.closed.latency.p99, 1),
    non2xx: r.closed.non2xx,
    cpuMsPerEvent: cpuJson(r.closed.cpu),
    target: TARGETS.webhookEventsPerS,
  },
});

export function paidRows(r: PaidBenchResult): Row[] {
  const scenario = `payment succeeded -> invoice shown paid (checkout.session.completed at ${f1(r.achievedRatePerS)}/s)`;
  return [
    { scenario, metric: 'p50 webhook 2xx -> GET shows paid', value: r.shown.p50, unit: 'ms', digits: 1 },
    {
      scenario,
      metric: 'p99 webhook 2xx -> GET shows paid',
      value: r.shown.p99,
      unit: 'ms',
      digits: 1,
      target: { op: '<=', limit: TARGETS.paidShownP99Ms },
      detail: `max ${f1(r.shown.max)} over ${r.shown.count}; observed per sample: LISTEN on billing's outbox (its NOTIFY fires at the commit that marks the invoice paid), then GET /api/invoices/:id via gateway until status paid and amountPaid = total (${r.earlyReads} reads were early)`,
    },
    {
      scenario,
      metric: 'p99 webhook 2xx -> billing committed paid',
      value: r.committed.p99,
      unit: 'ms',
      digits: 1,
      detail: `p50 ${f1(r.committed.p50)}: payments' outbox, relay, broker, billing's payments-ledger consumer; the webhook's own p50/p99 ${f1(r.webhook.p50)}/${f1(r.webhook.p99)}`,
    },
  ];
}

export const paidJson = (r: PaidBenchResult) => ({
  count: r.count,
  ratePerS: r.ratePerS,
  achievedRatePerS: round(r.achievedRatePerS, 1),
  shownP50: round(r.shown.p50, 1),
  shownP99: round(r.shown.p99, 1),
  shownMax: round(r.shown.max, 1),
  committedP50: round(r.committed.p50, 1),
  committedP99: round(r.committed.p99, 1),
  webhookP99: round(r.webhook.p99, 1),
  earlyReads: r.earlyReads,
  target: TARGETS.paidShownP99Ms,
});
