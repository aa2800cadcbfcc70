import http from 'node:http';
import type { Sql } from '@atelier/platform';
import { agentRequest } from './api.js';
import { cpuBetween, scaleCpu, type CpuSampler, type CpuTimes } from './cpu.js';
import { sleep, summarize, type Summary } from './stats.js';

/** A small deterministic generator: every run asks for the same weeks and projects. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

export interface TimeSeedOptions {
  measuredAgencyId: string;
  /** The measured agency's client in projects' replica (the bench created it through the API). */
  clientId: string;
  members: number;
  projects: number;
  /** Work days of the year every member logs time on, and entries per member and day. */
  workDays: number;
  entriesPerDay: number;
  /** Further agencies with a smaller year each, so the measured one is one among many. */
  otherAgencies: number;
  otherEntries: number;
  year: number;
}

export interface TimeSeed {
  memberIds: string[];
  projectIds: string[];
  entries: number;
  otherEntries: number;
  seconds: number;
}

/**
 * A year of time in projects' tables, set-based as the schema owner (BYPASSRLS): members in the
 * replica, projects on the agency's client, and per member `entriesPerDay` entries on each of the
 * first `workDays` weekdays, spread over the projects; the other agencies get a client, a project
 * and `otherEntries` entries each, interleaved by day so no agency's rows sit together.
 */
export async function seedTime(sql: Sql, o: TimeSeedOptions): Promise<TimeSeed> {
  const started = performance.now();
  const members = await sql<{ user_id: string }[]>`
    insert into projects.members (id, agency_id, user_id, name, email, role, version)
    select gen_random_uuid(), ${o.measuredAgencyId}, gen_random_uuid(), format('Bench Member %s', lpad(i::text, 2, '0')), null, 'member', 1
    from generate_series(1, ${o.members}::int) i
    returning user_id`;
  const projects = await sql<{ id: string }[]>`
    insert into projects.projects (agency_id, client_id, name, currency, budget_hours)
    select ${o.measuredAgencyId}, ${o.clientId}, format('Bench Project %s', lpad(i::text, 2, '0')), 'EUR', 100000
    from generate_series(1, ${o.projects}::int) i
    returning id`;
  const memberIds = members.map((m) => m.user_id);
  const projectIds = projects.map((p) => p.id);
  const days = `{${weekdays(o.year, o.workDays).join(',')}}`;
  // Member m's k-th entry of a day goes to project (m + k + day) mod projects: every project sees every member.
  await sql`
    insert into projects.time_entries (agency_id, project_id, user_id, date, minutes, rounded_minutes, is_billable, hourly_rate, rate_source, currency, amount, created_at, updated_at)
    select ${o.measuredAgencyId}, (${`{${projectIds.join(',')}}`}::uuid[])[1 + (m + k + d) % ${projectIds.length}::int], (${`{${memberIds.join(',')}}`}::uuid[])[m],
      (${days}::date[])[d], 30 + (m * 7 + k * 13 + d) % 90, (30 + (m * 7 + k * 13 + d) % 90 + 7) / 15 * 15, true, 100, 'project', 'EUR',
      round(((30 + (m * 7 + k * 13 + d) % 90 + 7) / 15 * 15) * 100 / 60.0, 2), now(), now()
    from generate_series(1, ${o.workDays}::int) d, generate_series(1, ${memberIds.length}::int) m, generate_series(1, ${o.entriesPerDay}::int) k`;
  const others = await sql<{ id: string }[]>`
    insert into identity.agencies (name) select format('Bench Time Agency %s', lpad(i::text, 3, '0')) from generate_series(1, ${o.otherAgencies}::int) i returning id`;
  const otherIds = `{${others.map((a) => a.id).join(',')}}`;
  await sql`
    insert into projects.clients (id, agency_id, name, currency, is_active, version, updated_at)
    select gen_random_uuid(), a, 'Other Client', 'EUR', true, 1, now() from unnest(${otherIds}::uuid[]) a`;
  await sql`
    insert into projects.projects (agency_id, client_id, name, currency)
    select c.agency_id, c.id, 'Other Project', 'EUR' from projects.clients c where c.agency_id = any(${otherIds}::uuid[])`;
  const perDay = Math.max(1, Math.ceil(o.otherEntries / o.workDays));
  await sql`
    insert into projects.time_entries (agency_id, project_id, user_id, date, minutes, rounded_minutes, is_billable, currency, created_at, updated_at)
    select p.agency_id, p.id, gen_random_uuid(), (${days}::date[])[d], 60, 60, true, 'EUR', now(), now()
    from generate_series(1, ${o.workDays}::int) d, generate_series(1, ${perDay}::int) k, projects.projects p
    where p.agency_id = any(${otherIds}::uuid[])`;
  await sql.unsafe('vacuum analyze projects.time_entries, projects.projects, projects.members');
  return { memberIds, projectIds, entries: o.members * o.workDays * o.entriesPerDay, otherEntries: others.length * perDay * o.workDays, seconds: (performance.now() - started) / 1000 };
}

/** The first `count` Monday-to-Friday dates of `year`, as YYYY-MM-DD. */
function weekdays(year: number, count: number): string[] {
  const out: string[] = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); out.length < count; d = new Date(d.getTime() + 86_400_000)) {
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

export interface TimeReadOptions {
  gatewayUrl: string;
  apiToken: string;
  seed: TimeSeed;
  year: number;
  /** Measured requests per endpoint, paced together at `ratePerS`; a tenth as many first, not counted. */
  requests: number;
  ratePerS: number;
  sampler: CpuSampler;
}

export interface TimeReadResult {
  timesheet: Summary;
  summary: Summary;
  achievedRatePerS: number;
  ratePerS: number;
  cpu: CpuTimes | null;
}

/**
 * GET /api/timesheet (a random member's random week) and GET /api/time-entries/summary (a random
 * project's year by user) through the gateway, alternating, open loop at `ratePerS` (each request
 * leaves at its time whether or not earlier ones have answered).
 */
export async function runTimeReadBench(o: TimeReadOptions): Promise<TimeReadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const next = rng(60_000);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] as T;
  const paths = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      if (i % 2 === 0) {
        const day = new Date(Date.UTC(o.year, 0, 5) + Math.floor(next() * 48) * 7 * 86_400_000).toISOString().slice(0, 10);
        return { kind: 'timesheet' as const, path: `/api/timesheet?weekOf=${day}&userId=${pick(o.seed.memberIds)}` };
      }
      return { kind: 'summary' as const, path: `/api/time-entries/summary?projectId=${pick(o.seed.projectIds)}&groupBy=user` };
    });
  const run = async (list: ReturnType<typeof paths>) => {
    const ms = { timesheet: [] as number[], summary: [] as number[] };
    const failures: string[] = [];
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    for (const [i, p] of list.entries()) {
      const wait = t0 + (i * 1000) / o.ratePerS - performance.now();
      if (wait > 1) await sleep(wait);
      pending.push(
        (async () => {
          const started = performance.now();
          const res = await agentRequest(agent, new URL(p.path, o.gatewayUrl), { method: 'GET', headers: { authorization: `Bearer ${o.apiToken}` }, timeoutMs: 30_000 });
          if (res.status !== 200) failures.push(`${p.path} → ${res.status} ${res.body.slice(0, 200)}`);
          else ms[p.kind].push(performance.now() - started);
        })(),
      );
    }
    const achieved = (list.length - 1) / ((performance.now() - t0) / 1000);
    await Promise.all(pending);
    if (failures.length) throw new Error(`${failures.length} time reads failed, e.g. ${failures[0]}`);
    return { ms, achieved };
  };
  try {
    await run(paths(Math.max(2, Math.floor(o.requests / 5))));
    const before = await o.sampler.sample();
    const measured = await run(paths(2 * o.requests));
    const after = await o.sampler.sample();
    return {
      timesheet: summarize(measured.ms.timesheet),
      summary: summarize(measured.ms.summary),
      achievedRatePerS: measured.achieved,
      ratePerS: o.ratePerS,
      cpu: scaleCpu(cpuBetween(before, after), 1 / (2 * o.requests)),
    };
  } finally {
    agent.destroy();
  }
}

export interface TimelogOptions {
  gatewayUrl: string;
  apiToken: string;
  agencyId: string;
  clientId: string;
  sql: Sql;
  ratePerS: number;
  count: number;
  warmup: number;
  settleTimeoutMs: number;
  sampler: CpuSampler;
}

export interface TimelogResult {
  /** POST /api/time-entries round trip. */
  log: Summary;
  /** From the request leaving to the budget entry on the crm timeline (projects → outbox → bus → crm). */
  toTimeline: Summary;
  /** The event's own occurred → recorded (crm's consumer), without the HTTP part. */
  eventToTimeline: Summary;
  recorded: number;
  /** From the request leaving to the entry in billing's unbilled view (`billing.time_entries`, its consumer's inbox row committed). */
  toBilling: Summary;
  inBilling: number;
  achievedRatePerS: number;
  ratePerS: number;
  cpu: CpuTimes | null;
}

/**
 * Time entry logged → visible on the crm timeline: each entry goes on a project of its own with a
 * one-hour budget, so its 30 minutes cross 50 % and projects publishes
 * projects.budget.threshold_crossed.v1, which crm files under the client. Open loop at `ratePerS`.
 */
export async function runTimelogBench(o: TimelogOptions): Promise<TimelogResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const projects = await o.sql<{ id: string }[]>`
    insert into projects.projects (agency_id, client_id, name, currency, budget_hours)
    select ${o.agencyId}, ${o.clientId}, format('Budget Project %s', lpad(i::text, 5, '0')), 'EUR', 1
    from generate_series(1, ${o.count + o.warmup}::int) i
    returning id`;
  const ids = projects.map((p) => p.id);
  // The bench runs no SMTP server: managers without an email get no budget mail, so no job retries
  // against a closed port run beside the measurement (the event path is what is measured).
  await o.sql`update projects.members set email = null where agency_id = ${o.agencyId}`;
  const send = async (batch: string[]) => {
    const sentAt = new Map<string, number>();
    const entryIds: string[] = [];
    const logMs: number[] = [];
    const failures: string[] = [];
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    for (const [i, projectId] of batch.entries()) {
      const wait = t0 + (i * 1000) / o.ratePerS - performance.now();
      if (wait > 1) await sleep(wait);
      pending.push(
        (async () => {
          const started = performance.now();
          sentAt.set(projectId, Date.now());
          const res = await agentRequest(agent, new URL('/api/time-entries', o.gatewayUrl), {
            method: 'POST',
            headers: { authorization: `Bearer ${o.apiToken}` },
            body: JSON.stringify({ projectId, minutes: 30 }),
            timeoutMs: 30_000,
          });
          if (res.status !== 201) failures.push(`${res.status} ${res.body.slice(0, 200)}`);
          else {
            logMs.push(performance.now() - started);
            const entryId = (JSON.parse(res.body) as { id: string }).id;
            entryIds.push(entryId);
            sentAt.set(entryId, sentAt.get(projectId)!);
          }
        })(),
      );
    }
    const achieved = (batch.length - 1) / ((performance.now() - t0) / 1000);
    await Promise.all(pending);
    if (failures.length) throw new Error(`${failures.length} time entries failed, e.g. ${failures[0]}`);
    const recorded = await waitForTimeline(o, batch);
    const billed = await waitForBilling(o, entryIds);
    return { sentAt, logMs, achieved, recorded, billed };
  };
  try {
    await send(ids.slice(0, o.warmup));
    const before = await o.sampler.sample();
    const measured = await send(ids.slice(o.warmup));
    const after = await o.sampler.sample();
    const toTimeline = measured.recorded.map((r) => r.recordedAt.getTime() - (measured.sentAt.get(r.entityId) ?? r.recordedAt.getTime()));
    return {
      log: summarize(measured.logMs),
      toTimeline: summarize(toTimeline),
      eventToTimeline: summarize(measured.recorded.map((r) => r.recordedAt.getTime() - r.occurredAt.getTime())),
      recorded: measured.recorded.length,
      toBilling: summarize(measured.billed.map((r) => r.processedAt.getTime() - (measured.sentAt.get(r.entryId) ?? r.processedAt.getTime()))),
      inBilling: measured.billed.length,
      achievedRatePerS: measured.achieved,
      ratePerS: o.ratePerS,
      cpu: scaleCpu(cpuBetween(before, after), 1 / o.count),
    };
  } finally {
    agent.destroy();
  }
}

async function waitForTimeline(o: TimelogOptions, projectIds: string[]) {
  const list = `{${projectIds.join(',')}}`;
  const deadline = Date.now() + o.settleTimeoutMs;
  for (;;) {
    const rows = await o.sql<{ entityId: string; recordedAt: string; occurredAt: string }[]>`
      select entity_id as "entityId", to_json(recorded_at)#>>'{}' as "recordedAt", to_json(occurred_at)#>>'{}' as "occurredAt" from crm.timeline_entries
      where agency_id = ${o.agencyId} and type = 'projects.budget.threshold_crossed.v1' and entity_id = any(${list}::uuid[])`;
    if (rows.length >= projectIds.length || Date.now() > deadline) return rows.map((r) => ({ entityId: r.entityId, recordedAt: new Date(r.recordedAt), occurredAt: new Date(r.occurredAt) }));
    await sleep(100);
  }
}

/**
 * When billing's time entry replica applied each entry's `projects.time_entry.logged.v1` (its
 * inbox row, written in the transaction that wrote `billing.time_entries`): the entry is in the
 * unbilled view from then on.
 */
async function waitForBilling(o: TimelogOptions, entryIds: string[]) {
  const list = `{${entryIds.join(',')}}`;
  const deadline = Date.now() + o.settleTimeoutMs;
  for (;;) {
    const rows = await o.sql<{ entryId: string; processedAt: string }[]>`
      select t.id as "entryId", to_json(b.processed_at)#>>'{}' as "processedAt"
      from billing.time_entries t
      join projects.outbox e on e.agency_id = t.agency_id and e.name = 'projects.time_entry.logged.v1' and e.envelope->'payload'->'entry'->>'id' = t.id::text
      join billing.inbox b on b.consumer = 'billing.time-entry-replica' and b.event_id = e.id
      where t.agency_id = ${o.agencyId} and t.id = any(${list}::uuid[])`;
    if (rows.length >= entryIds.length || Date.now() > deadline) return rows.map((r) => ({ entryId: r.entryId, processedAt: new Date(r.processedAt) }));
    await sleep(100);
  }
}
