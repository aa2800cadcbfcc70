import http from 'node:http';
import type { Sql } from '@atelier/platform';
import { agentRequest } from './api.js';
import { cpuBetween, scaleCpu, type CpuSampler, type CpuTimes } from './cpu.js';
import { sleep, summarize, type Summary } from './stats.js';

export interface InvoiceListOptions {
  gatewayUrl: string;
  apiToken: string;
  agencyId: string;
  /** Clients billing's replica knows; the invoices are spread over them. */
  clientIds: string[];
  sql: Sql;
  invoices: number;
  /** Measured requests, paced at `ratePerS`; a tenth as many first, not counted. */
  requests: number;
  ratePerS: number;
  sampler: CpuSampler;
}

export interface InvoiceListResult {
  invoices: number;
  latency: Summary;
  achievedRatePerS: number;
  ratePerS: number;
  seedSeconds: number;
  cpu: CpuTimes | null;
}

const STATUSES = ['sent', 'viewed', 'partially_paid', 'paid', 'overdue'] as const;

/**
 * `invoices` issued invoices of one agency spread over its clients, set-based as the schema owner
 * (numbers BENCH-n, one a day back over ten years, every status but draft and void), with the totals
 * the list shows; then vacuumed, as autovacuum leaves a table that size in steady state.
 */
async function seedInvoices(o: InvoiceListOptions): Promise<void> {
  await o.sql`
    insert into billing.invoices (agency_id, client_id, number, number_year, number_seq, status, issue_date, due_date, currency,
                                  subtotal, tax_amount, total, amount_paid, amount_due, created_at, updated_at)
    select ${o.agencyId}, (${`{${o.clientIds.join(',')}}`}::uuid[])[1 + i % ${o.clientIds.length}::int], format('BENCH-%s', i), 2000 + i / 10000, i, s.status, d, d + 30, 'EUR',
           100 + i % 900, 19, 119 + i % 900, p.paid, (119 + i % 900) - p.paid, now() - i * interval '1 minute', now()
      from generate_series(1, ${o.invoices}::int) i,
           lateral (select (${`{${STATUSES.join(',')}}`}::text[])[1 + i % ${STATUSES.length}::int] as status, date '2026-11-30' - (i % 3650) as d) s,
           lateral (select case s.status when 'paid' then 119 + i % 900 when 'partially_paid' then 50 else 0 end::numeric as paid) p`;
  await o.sql.unsafe('vacuum analyze billing.invoices');
}

/**
 * GET /api/invoices through the gateway, open loop at `ratePerS`: the first page as the list opens
 * it, a status tab, and a client's invoices in turn (what the invoice screens ask for).
 */
export async function runInvoiceListBench(o: InvoiceListOptions): Promise<InvoiceListResult> {
  const seeding = performance.now();
  await seedInvoices(o);
  const seedSeconds = (performance.now() - seeding) / 1000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const paths = ['/api/invoices?limit=50', '/api/invoices?limit=50&status=overdue', `/api/invoices?limit=50&clientId=${o.clientIds[0]}&sort=issueDate&order=desc`];
  const run = async (count: number) => {
    const ms: number[] = [];
    const failures: string[] = [];
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = t0 + (i * 1000) / o.ratePerS - performance.now();
      if (wait > 1) await sleep(wait);
      const path = paths[i % paths.length]!;
      pending.push(
        (async () => {
          const started = performance.now();
          const res = await agentRequest(agent, new URL(path, o.gatewayUrl), { method: 'GET', headers: { authorization: `Bearer ${o.apiToken}` }, timeoutMs: 30_000 });
          if (res.status !== 200) failures.push(`${path} → ${res.status} ${res.body.slice(0, 200)}`);
          else ms.push(performance.now() - started);
        })(),
      );
    }
    const achieved = (count - 1) / ((performance.now() - t0) / 1000);
    await Promise.all(pending);
    if (failures.length) throw new Error(`${failures.length} invoice list requests failed, e.g. ${failures[0]}`);
    return { ms, achieved };
  };
  try {
    await run(Math.max(2, Math.floor(o.requests / 10)));
    const before = await o.sampler.sample();
    const measured = await run(o.requests);
    const after = await o.sampler.sample();
    return {
      invoices: o.invoices,
      latency: summarize(measured.ms),
      achievedRatePerS: measured.achieved,
      ratePerS: o.ratePerS,
      seedSeconds,
      cpu: scaleCpu(cpuBetween(before, after), 1 / o.requests),
    };
  } finally {
    agent.destroy();
  }
}
