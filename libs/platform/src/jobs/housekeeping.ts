import { sql } from 'drizzle-orm';
import { everyMinutes } from './cadence.js';
import type { ScheduleDefinition } from './job-definitions.js';

export interface Retention {
  /** Published outbox rows: kept a while to look into what was sent. */
  outboxHours: number;
  /** Inbox rows: they stop a redelivered event from applying twice, so keep them past any redelivery (retries, dead-letter replays). Null: the schema has no inbox (the gateway). */
  inboxHours: number | null;
  /** Completed jobs and fired schedule slots. */
  jobHours: number;
  /** Failed jobs, which someone may still want to look into or retry. */
  failedJobHours: number;
}

const hours = (h: number) => sql`${`${h} hours`}::interval`;

/** The kit's own schedule in every service: prunes the messaging and job tables (through the schema's definer functions). */
export const housekeepingSchedule = (schema: string, retention: Retention): ScheduleDefinition => ({
  name: 'kit.prune',
  cadence: everyMinutes(15),
  async run(tx) {
    const s = sql.identifier(schema);
    await tx.execute(sql`select ${s}.outbox_prune(${hours(retention.outboxHours)})`);
    if (retention.inboxHours !== null) await tx.execute(sql`select ${s}.inbox_prune(${hours(retention.inboxHours)})`);
    await tx.execute(sql`select ${s}.job_prune(${hours(retention.jobHours)}, ${hours(retention.failedJobHours)})`);
  },
});
