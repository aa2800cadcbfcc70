import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { clients, invoiceLineTimeEntries, members, projects, tasks, timeEntries } from '../db/schema.js';
import type { BillableEntry } from './time-lines.js';

/**
 * Unbilled: billable, not deleted, unbilled as projects last said (the partial index
 * `time_entries_agency_unbilled_idx`), and on no live reservation of billing's own (a draft
 * reserves before projects hears of it). The reservations are looked up for the candidates' ids
 * through the live reservations' unique index and subtracted as a hashed set: a plan that stays
 * linear whatever the statistics say (right after a bulk draft they say nothing, and a
 * correlated NOT EXISTS then became a nested loop over every reservation per entry).
 */
const unbilledEntries = (filter: SQL) => sql`
  candidates as materialized (
    select t.* from ${timeEntries} t
    where t.deleted_at is null and t.is_billable and t.billing_status = 'unbilled' and ${filter}),
  held as materialized (
    select r.time_entry_id from ${invoiceLineTimeEntries} r
    where r.released_at is null and r.time_entry_id = any(array(select id from candidates))),
  unbilled as (select * from candidates where id not in (select time_entry_id from held))`;

export interface UnbilledRow {
  projectId: string;
  projectName: string;
  clientId: string;
  clientName: string | null;
  currency: string;
  minutes: number;
  amount: string;
  entryCount: number;
}

/** Per live project and currency: the unbilled billable rounded minutes, their amount and how many entries (row-level security picks the agency). */
export async function selectUnbilledPerProject(tx: Tx, clientId: string | undefined): Promise<UnbilledRow[]> {
  const rows = await tx.execute<{ project_id: string; project_name: string; client_id: string; client_name: string | null; currency: string; minutes: string; amount: string; entry_count: string }>(sql`
    with ${unbilledEntries(clientId ? sql`t.client_id = ${clientId}` : sql`true`)}
    select t.project_id, p.name as project_name, p.client_id, c.name as client_name, t.currency,
      sum(t.rounded_minutes)::text as minutes, sum(t.amount)::text as amount, count(*)::text as entry_count
    from unbilled t
    join ${projects} p on p.id = t.project_id and p.deleted_at is null
    left join ${clients} c on c.id = p.client_id and c.deleted_at is null
    where ${clientId ? sql`p.client_id = ${clientId}` : sql`true`}
    group by t.project_id, p.name, p.client_id, c.name, t.currency
    order by c.name nulls last, p.name, t.project_id, t.currency`);
  return [...rows].map((r) => ({
    projectId: r.project_id,
    projectName: r.project_name,
    clientId: r.client_id,
    clientName: r.client_name,
    currency: r.currency,
    minutes: Number(r.minutes),
    amount: r.amount,
    entryCount: Number(r.entry_count),
  }));
}

export interface ProjectForInvoice {
  id: string;
  clientId: string;
  currency: string;
  clientLive: boolean;
}

/** A live project of the agency with whether its client is a live client billing knows. */
export async function selectProjectForInvoice(tx: Tx, projectId: string): Promise<ProjectForInvoice | undefined> {
  const rows = await tx.execute<{ id: string; client_id: string; currency: string; client_live: boolean }>(sql`
    select p.id, p.client_id, p.currency, (c.id is not null) as client_live
    from ${projects} p left join ${clients} c on c.id = p.client_id and c.deleted_at is null
    where p.id = ${projectId} and p.deleted_at is null`);
  const [r] = [...rows];
  return r && { id: r.id, clientId: r.client_id, currency: r.currency, clientLive: r.client_live };
}

/**
 * Serialises drafts from time of one project: the second waits for the first to commit and then
 * sees what it reserved, so it takes only what is left (the live-reservation unique index stays
 * the guarantee, this keeps a concurrent caller from a spurious conflict).
 */
export async function lockProjectTime(tx: Tx, projectId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`billing.from-time:${projectId}`}, 0))`);
}

/** The project's unbilled billable entries in `currency` between the days (inclusive), oldest first, with their task's title and member's name. */
export async function selectBillableEntries(tx: Tx, q: { projectId: string; from?: string | undefined; to?: string | undefined }): Promise<(BillableEntry & { currency: string })[]> {
  const rows = await tx.execute<{
    id: string;
    version: number;
    task_id: string | null;
    task_title: string | null;
    user_id: string;
    member_name: string | null;
    date: string;
    rounded_minutes: number;
    description: string | null;
    hourly_rate: string | null;
    amount: string;
    currency: string;
  }>(sql`
    with ${unbilledEntries(sql`t.project_id = ${q.projectId} ${q.from ? sql`and t.date >= ${q.from}` : sql``} ${q.to ? sql`and t.date <= ${q.to}` : sql``}`)}
    select t.id, t.version, t.task_id, k.title as task_title, t.user_id, m.name as member_name, t.date::text as date,
      t.rounded_minutes, t.description, t.hourly_rate::text as hourly_rate, t.amount::text as amount, t.currency
    from unbilled t
    left join ${tasks} k on k.id = t.task_id
    left join ${members} m on m.agency_id = t.agency_id and m.user_id = t.user_id
    order by t.date, t.id`);
  return [...rows].map((r) => ({
    id: r.id,
    version: r.version,
    taskId: r.task_id,
    taskTitle: r.task_title,
    userId: r.user_id,
    memberName: r.member_name,
    date: r.date,
    roundedMinutes: r.rounded_minutes,
    description: r.description,
    hourlyRate: r.hourly_rate,
    amount: r.amount,
    currency: r.currency,
  }));
}
