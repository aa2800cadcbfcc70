import type { Sql } from '@atelier/platform';
import http from 'node:http';
import { agentRequest } from './api.js';
import { cpuBetween, scaleCpu, type CpuSampler, type CpuTimes } from './cpu.js';
import { countApplied, readEventStages, type EventStages } from './event-stages.js';
import { sleep, summarize, type Summary } from './stats.js';

export interface EventBenchOptions {
  gatewayUrl: string;
  apiToken: string;
  agencyId: string;
  /** Owner (BYPASSRLS) connection to the bench database, to read the timeline and outbox. */
  sql: Sql;
  ratePerS: number;
  count: number;
  /** How long to wait for the timeline to catch up after the last request. */
  settleTimeoutMs: number;
  /** Events sent (at the same rate) and drained before measuring; not counted. */
  warmupCount: number;
  sampler?: CpuSampler;
}

export interface EventBenchResult extends EventStages {
  /** HTTP round trip of POST /api/clients through the gateway. */
  create: Summary;
  sent: number;
  created: number;
  recorded: number;
  /** The rate the requests actually went out at, and the one asked for. */
  achievedRatePerS: number;
  ratePerS: number;
  /** CPU ms per event, by part of the system, from the first request until the last entry was recorded. */
  cpu: CpuTimes | null;
}

const EVENT = 'crm.client.created.v1';

/**
 * Creates clients through the gateway at a steady rate (open loop: each request leaves at its
 * scheduled time whether or not earlier ones have answered), waits for every timeline entry, and
 * reads the latencies the database recorded.
 */
export async function runEventLatencyBench(o: EventBenchOptions): Promise<EventBenchResult> {
  // node:http over keep-alive sockets costs the machine under test far less CPU per request than fetch.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  try {
    if (o.warmupCount > 0) {
      // The same path, first run cold (JIT, pools, channels): warm it, and let it drain, before measuring.
      const warm = await sendPaced(o, agent, o.warmupCount, 'Warm-up');
      await waitUntilApplied(o, await eventIdsOf(o, warm.createdIds));
    }
    const before = await o.sampler?.sample();
    const sent = await sendPaced(o, agent, o.count, 'Event Bench');
    const eventIds = await eventIdsOf(o, sent.createdIds);
    const applied = await waitUntilApplied(o, eventIds);
    const after = await o.sampler?.sample();
    return {
      ...(await readEventStages(o.sql, eventIds)),
      create: summarize(sent.createTimes),
      sent: o.count,
      created: sent.createdIds.length,
      recorded: applied.timeline,
      achievedRatePerS: sent.achievedRatePerS,
      ratePerS: o.ratePerS,
      cpu: before && after ? scaleCpu(cpuBetween(before, after), 1 / o.count) : null,
    };
  } finally {
    agent.destroy();
  }
}

/** Open loop: request i leaves at t0 + i / rate whether or not the earlier ones have answered. */
async function sendPaced(o: EventBenchOptions, agent: http.Agent, count: number, label: string) {
  const intervalMs = 1000 / o.ratePerS;
  const createTimes: number[] = [];
  const createdIds: string[] = [];
  const failures: string[] = [];
  const url = new URL('/api/clients', o.gatewayUrl);
  const createOne = async (i: number) => {
    const started = performance.now();
    try {
      const n = String(i).padStart(5, '0');
      const body = JSON.stringify({ name: `${label} Client ${n} Ltd`, email: `${label.toLowerCase().replace(/\W/g, '')}+${n}@bench.example`, currency: 'EUR' });
      const res = await agentRequest(agent, url, { method: 'POST', headers: { authorization: `Bearer ${o.apiToken}` }, body, timeoutMs: 30_000 });
      const created = JSON.parse(res.body) as { id?: string };
      if (res.status !== 201 || !created.id) throw new Error(`status ${res.status}: ${res.body.slice(0, 200)}`);
      createTimes.push(performance.now() - started);
      createdIds.push(created.id);
    } catch (err) {
      failures.push((err as Error).message);
    }
  };
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = t0 + i * intervalMs - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(createOne(i));
  }
  const achievedRatePerS = (count - 1) / ((performance.now() - t0) / 1000);
  await Promise.all(pending);
  if (failures.length > 0) throw new Error(`${failures.length} of ${count} creates failed, e.g. ${failures[0]}`);
  return { createTimes, createdIds, achievedRatePerS };
}

async function eventIdsOf(o: EventBenchOptions, clientIds: string[]): Promise<string[]> {
  const rows = await o.sql<{ id: string }[]>`
    select id from crm.outbox
    where agency_id = ${o.agencyId} and name = ${EVENT} and envelope #>> '{payload,client,id}' = any(${`{${clientIds.join(',')}}`}::text[])`;
  if (rows.length !== clientIds.length) throw new Error(`${clientIds.length} clients created but ${rows.length} events in the outbox`);
  return rows.map((r) => r.id);
}

/** Waits for every timeline entry, and for the replicas too so that their delays can be shown; gives up after settleTimeoutMs. */
async function waitUntilApplied(o: EventBenchOptions, eventIds: string[]) {
  const deadline = Date.now() + o.settleTimeoutMs;
  for (;;) {
    const applied = await countApplied(o.sql, eventIds);
    if ((applied.timeline >= eventIds.length && applied.replicas >= 2 * eventIds.length) || Date.now() > deadline) return applied;
    await sleep(100);
  }
}
