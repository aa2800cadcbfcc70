import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, stopTestService, testEnv, testNamespace, waitFor, type TestDatabase } from '@atelier/platform/testing';
import { loadPaymentsConfig } from '../src/config.js';
import { buildPaymentsService } from '../src/payments-service.js';
import { paymentsMigrations } from './payments-harness.js';

// The kit's housekeeping schedule, as every service runs it: here payments, the smallest.
let db: TestDatabase;
let owner: postgres.Sql;
beforeAll(async () => {
  db = await createTestDatabase({ payments: paymentsMigrations });
  owner = postgres(db.ownerUrl, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

describe('housekeeping', () => {
  it('prunes published outbox rows, old inbox rows and finished jobs past their retention, and nothing else', async () => {
    const agency = randomUUID();
    const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const outbox = async (label: string, createdHoursAgo: number, publishedHoursAgo: number | null) => {
      const id = randomUUID();
      await owner`insert into payments.outbox (id, agency_id, name, envelope, created_at, published_at)
        values (${id}, ${agency}, ${label}, ${owner.json({ label })}, ${ago(createdHoursAgo)}, ${publishedHoursAgo === null ? null : ago(publishedHoursAgo)})`;
      return id;
    };
    const oldPublished = await outbox('old', 3, 2);
    const recentPublished = await outbox('recent', 1, 0.5);
    const inbox = async (hoursAgo: number) => {
      const id = randomUUID();
      await owner`insert into payments.inbox (consumer, event_id, agency_id, processed_at) values ('housekeeping', ${id}, ${agency}, ${ago(hoursAgo)})`;
      return id;
    };
    const oldInbox = await inbox(3);
    const recentInbox = await inbox(1);
    const job = async (status: string, finishedHoursAgo: number) => {
      const id = randomUUID();
      await owner`insert into payments.jobs (id, agency_id, name, status, attempts, finished_at) values (${id}, ${agency}, 'test.done', ${status}, 1, ${ago(finishedHoursAgo)})`;
      return id;
    };
    const oldCompleted = await job('completed', 5);
    const recentCompleted = await job('completed', 3);
    const failedWithinRetention = await job('failed', 5);
    const failedPastRetention = await job('failed', 11);
    await owner`insert into payments.job_schedule_runs (schedule, slot, job_id, fired_at) values ('old', ${ago(5)}, ${randomUUID()}, ${ago(5)})`;

    const env = { OUTBOX_RETENTION_HOURS: '1', INBOX_RETENTION_HOURS: '2', JOB_RETENTION_HOURS: '4', FAILED_JOB_RETENTION_HOURS: '10' };
    const service = buildPaymentsService(loadPaymentsConfig(testEnv('payments', db, testNamespace(), env)));
    await service.start();
    try {
      // The schedule's first slot fires when the service starts.
      await waitFor(async () => (await owner`select 1 from payments.jobs where name = 'schedule:kit.prune' and status = 'completed'`).length === 1, 20_000);
    } finally {
      await stopTestService(service);
    }
    const ids = async (table: 'outbox' | 'jobs') => new Set((await owner<{ id: string }[]>`select id from ${owner('payments')}.${owner(table)}`).map((r) => r.id));
    const outboxLeft = await ids('outbox');
    expect(outboxLeft.has(oldPublished)).toBe(false);
    expect(outboxLeft.has(recentPublished)).toBe(true);
    const inboxLeft = new Set((await owner<{ event_id: string }[]>`select event_id from payments.inbox where consumer = 'housekeeping'`).map((r) => r.event_id));
    expect(inboxLeft).toEqual(new Set([recentInbox]));
    expect(inboxLeft.has(oldInbox)).toBe(false);
    const jobsLeft = await ids('jobs');
    expect([oldCompleted, recentCompleted, failedWithinRetention, failedPastRetention].map((id) => jobsLeft.has(id))).toEqual([false, true, true, false]);
    expect(await owner`select 1 from payments.job_schedule_runs where schedule = 'old'`).toHaveLength(0);
    expect(await owner`select 1 from payments.job_schedule_runs where schedule = 'kit.prune'`).toHaveLength(1);
  });
});
