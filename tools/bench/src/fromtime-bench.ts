import http from 'node:http';
import type { Sql } from '@atelier/platform';
import { agentRequest } from './api.js';
import { sleep, summarize, type Summary } from './stats.js';

export interface FromTimeOptions {
  gatewayUrl: string;
  apiToken: string;
  agencyId: string;
  /** A client both projects' and billing's replicas know (created through the API). */
  clientId: string;
  sql: Sql;
  /** Unbilled billable entries per draft, over `tasks` tasks. */
  entries: number;
  tasks: number;
  /** Measured drafts, each of a project of its own; one more first, not counted. */
  rounds: number;
  settleTimeoutMs: number;
}

export interface FromTimeResult {
  entries: number;
  lines: number;
  /** POST /api/invoices/from-time round trip through the gateway. */
  draft: Summary;
  /** From the draft's answer until projects reserved all its entries and billing's replica says so (the drafted event, 5,000 entries, and the bulk billing_changed back). */
  reserved: Summary;
  seedSeconds: number;
}

/**
 * A project with `entries` unbilled billable entries in projects and, as the replica would hold
 * them, in billing (set-based as the schema owner), then a draft from all of it grouped by task.
 */
export async function seedProject(o: FromTimeOptions, round: number): Promise<string> {
  const [project] = await o.sql<{ id: string }[]>`
    insert into projects.projects (agency_id, client_id, name, currency)
    values (${o.agencyId}, ${o.clientId}, ${`Bench From-Time Project ${round}`}, 'EUR') returning id`;
  const projectId = project!.id;
  await o.sql`
    insert into billing.projects (id, agency_id, client_id, name, status, currency, is_billable, hourly_rate, version, updated_at)
    select id, agency_id, client_id, name, status, currency, true, 100, 1, now() from projects.projects where id = ${projectId}`;
  const tasks = await o.sql<{ id: string }[]>`
    insert into projects.tasks (agency_id, project_id, title, sort_order)
    select ${o.agencyId}, ${projectId}, format('Task %s', lpad(i::text, 2, '0')), i from generate_series(1, ${o.tasks}::int) i
    returning id`;
  await o.sql`
    insert into billing.tasks (id, agency_id, project_id, title, status, version, updated_at)
    select id, agency_id, project_id, title, status, version, updated_at from projects.tasks where project_id = ${projectId}`;
  // 15 to 120 minutes at 100.00 an hour: every amount is exact, as the agency's 15-minute rounding makes it.
  await o.sql`
    insert into projects.time_entries (agency_id, project_id, task_id, user_id, date, minutes, rounded_minutes, description, is_billable, hourly_rate, rate_source, currency, amount)
    select ${o.agencyId}, ${projectId}, (${`{${tasks.map((t) => t.id).join(',')}}`}::uuid[])[1 + i % ${tasks.length}::int], ${o.agencyId}::uuid, date '2026-01-01' + (i % 300),
      15 * (1 + i % 8), 15 * (1 + i % 8), format('Work item %s', i), true, 100, 'project', 'EUR', 25 * (1 + i % 8)
    from generate_series(1, ${o.entries}::int) i`;
  await o.sql`
    insert into billing.time_entries (id, agency_id, project_id, client_id, task_id, user_id, date, minutes, rounded_minutes, description, is_billable, hourly_rate, rate_source, currency, amount, billing_status, version, updated_at)
    select e.id, e.agency_id, e.project_id, ${o.clientId}, e.task_id, e.user_id, e.date, e.minutes, e.rounded_minutes, e.description, e.is_billable, e.hourly_rate, e.rate_source, e.currency, e.amount, 'unbilled', e.version, e.updated_at
    from projects.time_entries e where e.project_id = ${projectId}`;
  return projectId;
}

export async function runFromTimeBench(o: FromTimeOptions): Promise<FromTimeResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const draftMs: number[] = [];
  const reservedMs: number[] = [];
  let lines = 0;
  let seedSeconds = 0;
  try {
    for (let round = 0; round <= o.rounds; round++) {
      const seeding = performance.now();
      const projectId = await seedProject(o, round);
      await o.sql.unsafe('analyze billing.time_entries, billing.invoice_line_time_entries');
      seedSeconds += (performance.now() - seeding) / 1000;
      const started = performance.now();
      const res = await agentRequest(agent, new URL('/api/invoices/from-time', o.gatewayUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${o.apiToken}` },
        body: JSON.stringify({ projectId, groupBy: 'task' }),
        timeoutMs: 60_000,
      });
      const answered = performance.now();
      if (res.status !== 201) throw new Error(`from-time answered ${res.status} ${res.body.slice(0, 300)}`);
      const invoice = JSON.parse(res.body) as { lineItems: { timeEntryIds: string[] }[] };
      const onDraft = invoice.lineItems.reduce((n, l) => n + l.timeEntryIds.length, 0);
      if (onDraft !== o.entries) throw new Error(`the draft holds ${onDraft} of ${o.entries} entries`);
      const reservedAt = await waitForReserved(o, projectId);
      if (round === 0) continue;
      draftMs.push(answered - started);
      reservedMs.push(reservedAt - answered);
      lines = invoice.lineItems.length;
    }
  } finally {
    agent.destroy();
  }
  return { entries: o.entries, lines, draft: summarize(draftMs), reserved: summarize(reservedMs), seedSeconds };
}

/** When billing's replica shows every entry of the project reserved (projects took them all and said so). */
async function waitForReserved(o: FromTimeOptions, projectId: string): Promise<number> {
  const deadline = Date.now() + o.settleTimeoutMs;
  for (;;) {
    const [row] = await o.sql<{ n: number }[]>`select count(*)::int as n from billing.time_entries where project_id = ${projectId} and billing_status = 'reserved'`;
    if ((row?.n ?? 0) >= o.entries) return performance.now();
    if (Date.now() > deadline) throw new Error(`only ${row?.n ?? 0} of ${o.entries} entries reserved after ${o.settleTimeoutMs} ms`);
    await sleep(20);
  }
}
