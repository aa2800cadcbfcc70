import type { Sql } from '@atelier/platform';
import { summarize, type Summary } from './stats.js';

/** The consumers besides the CRM timeline that apply `crm.client.created.v1`, by the schema of their inbox. */
const REPLICA_CONSUMERS = { projects: 'projects.client-replica', billing: 'billing.client-replica' } as const;

export interface EventStages {
  /** occurred_at -> recorded_at of each timeline entry: the end-to-end event latency. */
  endToEnd: Summary;
  /** occurred_at -> the relay claiming the outbox row (the rest of the create transaction, commit, NOTIFY, relay wake-up). */
  relayPickup: Summary;
  /** The relay claiming it -> the consumer's transaction starting, per consumer (publish, confirm, broker, delivery, pool). */
  toConsumer: Record<'crm' | keyof typeof REPLICA_CONSUMERS, Summary>;
  relayBatches: { count: number; meanSize: number; meanIntervalMs: number };
}

const ms = (expr: string) => `extract(epoch from ${expr})::float8 * 1000`;

/**
 * Reads the timestamps the database wrote: occurred_at (set in crm just before the outbox insert),
 * outbox.published_at (the relay's claim), and each consumer's transaction start (timeline
 * recorded_at, inbox processed_at). All come from clocks of this one machine.
 */
export async function readEventStages(sql: Sql, eventIds: string[]): Promise<EventStages> {
  const ids = `{${eventIds.join(',')}}`;
  const rows = await sql.unsafe<{ total: number; pickup: number | null; crm: number | null; projects: number | null; billing: number | null }[]>(
    `select
       ${ms('t.recorded_at - t.occurred_at')} as total,
       ${ms('o.published_at - t.occurred_at')} as pickup,
       ${ms('t.recorded_at - o.published_at')} as crm,
       ${ms('p.processed_at - o.published_at')} as projects,
       ${ms('b.processed_at - o.published_at')} as billing
     from crm.timeline_entries t
     left join crm.outbox o on o.id = t.event_id
     left join projects.inbox p on p.event_id = t.event_id and p.consumer = '${REPLICA_CONSUMERS.projects}'
     left join billing.inbox b on b.event_id = t.event_id and b.consumer = '${REPLICA_CONSUMERS.billing}'
     where t.event_id = any($1::uuid[])`,
    [ids],
  );
  const [batches] = await sql.unsafe<{ count: number; mean_size: number; mean_interval: number | null }[]>(
    `select count(distinct published_at)::int as count,
            count(*)::float8 / nullif(count(distinct published_at), 0) as mean_size,
            ${ms('max(published_at) - min(published_at)')} / nullif(count(distinct published_at) - 1, 0) as mean_interval
     from crm.outbox where id = any($1::uuid[]) and published_at is not null`,
    [ids],
  );
  const present = (key: 'pickup' | 'crm' | 'projects' | 'billing') => rows.map((r) => r[key]).filter((v): v is number => v !== null);
  return {
    endToEnd: summarize(rows.map((r) => r.total)),
    relayPickup: summarize(present('pickup')),
    toConsumer: { crm: summarize(present('crm')), projects: summarize(present('projects')), billing: summarize(present('billing')) },
    relayBatches: { count: batches?.count ?? 0, meanSize: batches?.mean_size ?? Number.NaN, meanIntervalMs: batches?.mean_interval ?? Number.NaN },
  };
}

/** How many of `eventIds` the timeline and each replica consumer have applied. */
export async function countApplied(sql: Sql, eventIds: string[]): Promise<{ timeline: number; replicas: number }> {
  const ids = `{${eventIds.join(',')}}`;
  const [row] = await sql.unsafe<{ timeline: number; replicas: number }[]>(
    `select (select count(*)::int from crm.timeline_entries where event_id = any($1::uuid[])) as timeline,
            (select count(*)::int from projects.inbox where consumer = '${REPLICA_CONSUMERS.projects}' and event_id = any($1::uuid[]))
          + (select count(*)::int from billing.inbox where consumer = '${REPLICA_CONSUMERS.billing}' and event_id = any($1::uuid[])) as replicas`,
    [ids],
  );
  return row ?? { timeline: 0, replicas: 0 };
}
