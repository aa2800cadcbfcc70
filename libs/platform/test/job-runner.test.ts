import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createLogger, dailyAt, everyMinutes, JobRunner, PermanentJobError, tenantTx, type Database, type JobRunnerOptions } from '../src/index.js';
import { createTestDatabase, repoRoot, waitFor, type TestDatabase } from '../src/testing/index.js';
import { stepEventId, stepJob } from './fixtures/step-job.js';

// The kit's runner on a real service schema: payments' migrations carry the jobs tables and functions.
const paymentsMigrations = fileURLToPath(new URL('../../../apps/payments-service/drizzle', import.meta.url));
const logger = createLogger('job-runner-test', 'silent');

let db: TestDatabase;
let owner: postgres.Sql;
const databases: Database[] = [];
const runners: JobRunner[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ payments: paymentsMigrations });
  owner = postgres(db.ownerUrl, { max: 2, onnotice: () => {} });
});
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  for (const d of databases.splice(0)) await d.close();
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

/** A runner replica with its own pool, as another process would have. */
function replica(options: Partial<JobRunnerOptions> = {}): JobRunner {
  const database = createDatabase(db.urlFor('payments'), { max: 4 });
  databases.push(database);
  const runner = new JobRunner(database.db, 'payments', logger, { pollMs: 20, heartbeatMs: 100, ...options });
  runners.push(runner);
  return runner;
}

const serviceDb = () => {
  const database = createDatabase(db.urlFor('payments'), { max: 2 });
  databases.push(database);
  return database.db;
};

const jobRow = async (id: string) =>
  (await owner<{ status: string; attempts: number; last_error: string | null; locked_by: string | null }[]>`
    select status, attempts, last_error, locked_by from payments.jobs where id = ${id}`)[0];
const waitForStatus = (id: string, status: string, timeoutMs = 20_000) =>
  waitFor(async () => ((await jobRow(id))?.status === status ? jobRow(id) : undefined), timeoutMs);

describe('a job interrupted by a crash', () => {
  it('resumes on another runner after the lease of the killed process expires, and completes', { timeout: 60_000 }, async () => {
    const agency = randomUUID();
    const producer = replica().register(stepJob(() => {}));
    const id = await tenantTx(serviceDb(), agency, (tx) => producer.enqueue(tx, { name: 'test.steps', agencyId: agency, payload: { steps: 6 } }));

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'libs/platform/test/fixtures/step-job.ts')], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: db.urlFor('payments') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor(() => output.includes('step 3'), 30_000).catch((err) => {
      throw new Error(`${String(err)}\n${output}`);
    });
    child.kill('SIGKILL');
    await exited;
    expect(await jobRow(id)).toMatchObject({ status: 'running', attempts: 1 });

    const resumed: { step: number; attempt: number }[] = [];
    replica({ leaseMs: 1_000 })
      .register(stepJob((step, attempt) => void resumed.push({ step, attempt })))
      .start();
    expect(await waitForStatus(id, 'completed')).toMatchObject({ attempts: 2, locked_by: null });
    // Steps 1–3 committed before the crash are not done again; the rest are done once each.
    expect(resumed).toEqual([4, 5, 6].map((step) => ({ step, attempt: 2 })));
    const steps = await owner<{ event_id: string }[]>`select event_id from payments.inbox where consumer = ${`steps:${id}`} order by event_id`;
    expect(steps.map((s) => s.event_id)).toEqual([1, 2, 3, 4, 5, 6].map(stepEventId));
  });

  it('commits nothing more on a worker whose lease another runner took', async () => {
    const agency = randomUUID();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let outcome = '';
    const runner = replica().register({
      name: 'test.fenced',
      async work(job) {
        await gate;
        await job.transaction((tx) => tx.execute(sql`insert into payments.inbox (consumer, event_id, agency_id) values ('fenced', ${job.id}, ${agency})`)).then(
          () => (outcome = 'committed'),
          (err: Error) => {
            outcome = err.name;
            throw err;
          },
        );
      },
    });
    const id = await tenantTx(serviceDb(), agency, (tx) => runner.enqueue(tx, { name: 'test.fenced', agencyId: agency }));
    runner.start();
    await waitForStatus(id, 'running');
    await owner`update payments.jobs set locked_by = 'another-replica' where id = ${id}`;
    release();
    await waitFor(() => outcome !== '');
    expect(outcome).toBe('JobLeaseLost');
    expect(await jobRow(id)).toMatchObject({ status: 'running', locked_by: 'another-replica' });
    expect((await owner`select 1 from payments.inbox where consumer = 'fenced'`).length).toBe(0);
  });

  it('hands a long job back on a graceful stop without counting the attempt', async () => {
    const agency = randomUUID();
    const runner = replica().register(stepJob((step) => void (step === 2 && runner.stop())));
    const id = await tenantTx(serviceDb(), agency, (tx) => runner.enqueue(tx, { name: 'test.steps', agencyId: agency, payload: { steps: 5 } }));
    runner.start();
    expect(await waitForStatus(id, 'queued')).toMatchObject({ attempts: 0, locked_by: null });
    replica().register(stepJob(() => {})).start();
    await waitForStatus(id, 'completed');
    expect((await owner`select 1 from payments.inbox where consumer = ${`steps:${id}`}`).length).toBe(5);
  });
});

describe('two runner replicas', () => {
  it('run each of many jobs exactly once', { timeout: 60_000 }, async () => {
    const agencies = [randomUUID(), randomUUID(), randomUUID()];
    const runs = new Map<string, number>();
    const byReplica = [0, 0];
    const replicas = [0, 1].map((i) =>
      replica({ concurrency: 4 }).register({
        name: 'test.once',
        async run(tx, job) {
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
          byReplica[i]! += 1;
          // The effect in the job's transaction: a second run would violate the inbox key.
          await tx.execute(sql`insert into payments.inbox (consumer, event_id, agency_id) values ('once', ${job.id}, ${job.agencyId})`);
          await new Promise((r) => setTimeout(r, Math.random() * 3));
        },
      }),
    );
    const ids: string[] = [];
    const writer = serviceDb();
    for (const agency of agencies) {
      await tenantTx(writer, agency, async (tx) => {
        for (let n = 0; n < 100; n++) ids.push(await replicas[0]!.enqueue(tx, { name: 'test.once', agencyId: agency }));
      });
    }
    for (const r of replicas) r.start();
    await waitFor(async () => ((await owner`select 1 from payments.jobs where name = 'test.once' and status = 'completed'`).length === ids.length ? true : undefined), 45_000);
    expect(ids).toHaveLength(300);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(runs.keys())).toEqual(new Set(ids));
    expect((await owner`select 1 from payments.inbox where consumer = 'once'`).length).toBe(300);
    console.log(`jobs run exactly once: 300 jobs, replica split ${byReplica.join(' / ')}`);
  });

  it('never run a job twice even when it outlasts its lease: the open job transaction holds the row', { timeout: 60_000 }, async () => {
    const agency = randomUUID();
    const runs = new Map<string, number>();
    // A lease far shorter than the job and no heartbeat in time: only the row lock taken by the
    // job's own transaction keeps the other replica from claiming it.
    const replicas = [0, 1].map(() =>
      replica({ concurrency: 3, leaseMs: 100, heartbeatMs: 60_000 }).register({
        name: 'test.slow',
        async run(_tx, job) {
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 400));
        },
      }),
    );
    const ids = await tenantTx(serviceDb(), agency, async (tx) => {
      const out: string[] = [];
      for (let n = 0; n < 12; n++) out.push(await replicas[0]!.enqueue(tx, { name: 'test.slow', agencyId: agency }));
      return out;
    });
    for (const r of replicas) r.start();
    await waitFor(async () => ((await owner`select 1 from payments.jobs where name = 'test.slow' and status = 'completed'`).length === ids.length ? true : undefined), 45_000);
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
  });

  it('fire and run each of many schedule slots exactly once', { timeout: 60_000 }, async () => {
    let now = new Date('2026-05-04T10:00:30Z');
    const clock = () => now;
    const slots = new Map<number, number>();
    const replicas = [0, 1].map(() =>
      replica({ now: clock, scheduleTickMs: 5 }).schedule({
        name: 'test.minutely',
        cadence: everyMinutes(1),
        run: async (_tx, slot) => void slots.set(slot.getTime(), (slots.get(slot.getTime()) ?? 0) + 1),
      }),
    );
    for (const r of replicas) r.start();
    let firedByTicks = 0;
    for (let minute = 1; minute <= 150; minute++) {
      now = new Date(now.getTime() + 60_000);
      // Both replicas tick for the same slot at once (and their timers tick too).
      const fired = await Promise.all(replicas.map((r) => r.tickSchedules()));
      firedByTicks += fired.flat().length;
    }
    const expected = Array.from({ length: 151 }, (_, i) => Date.parse('2026-05-04T10:00:00Z') + i * 60_000);
    await waitFor(() => (slots.size === expected.length ? true : undefined), 45_000);
    await waitFor(async () => ((await owner`select 1 from payments.jobs where name = 'schedule:test.minutely' and status <> 'completed'`).length === 0 ? true : undefined));
    expect([...slots.keys()].sort((a, b) => a - b)).toEqual(expected);
    expect([...slots.values()].every((n) => n === 1)).toBe(true);
    expect(firedByTicks).toBeLessThanOrEqual(expected.length);
    const [runsRow] = await owner<{ n: number }[]>`select count(*)::int as n from payments.job_schedule_runs where schedule = 'test.minutely'`;
    expect(runsRow?.n).toBe(expected.length);
    console.log(`schedule slots fired and run exactly once: ${expected.length} slots on 2 replicas`);
  });
});

describe('a schedule at a wall-clock time', () => {
  /** Drives the runner's clock in 15-minute steps and returns the slots each schedule ran for. */
  async function runThrough(from: string, to: string) {
    let now = new Date(from);
    const ran = new Map<string, string[]>();
    const schedule = (name: string, at: string) => ({
      name,
      cadence: dailyAt(at, 'Europe/Berlin'),
      run: async (_tx: unknown, slot: Date) => void ran.set(name, [...(ran.get(name) ?? []), slot.toISOString()]),
    });
    const names = [`nine-${from}`, `half-two-${from}`];
    const runner = replica({ now: () => now, scheduleTickMs: 60_000 }).schedule(schedule(names[0]!, '09:00'), schedule(names[1]!, '02:30'));
    runner.start();
    for (; now.getTime() <= Date.parse(to); now = new Date(now.getTime() + 15 * 60_000)) await runner.tickSchedules();
    // Every slot that fired (by these ticks or the runner's own) has run.
    await waitFor(async () => {
      const [fired] = await owner<{ n: number }[]>`select count(*)::int as n from payments.job_schedule_runs where schedule in ${owner(names)}`;
      return fired && fired.n > 0 && fired.n === [...ran.values()].flat().length ? true : undefined;
    }, 20_000);
    const sorted = (name: string) => [...(ran.get(name) ?? [])].sort();
    return { nine: sorted(`nine-${from}`), halfTwo: sorted(`half-two-${from}`) };
  }

  it('fires at 09:00 Europe/Berlin across the spring change, and once for 02:30 that does not exist', { timeout: 60_000 }, async () => {
    const { nine, halfTwo } = await runThrough('2026-03-28T08:30:00Z', '2026-03-31T08:30:00Z');
    expect(nine).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z']);
    // 29 March has no 02:30: it runs at 03:30 CEST (01:30Z), once.
    expect(halfTwo).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
  });

  it('fires at 09:00 Europe/Berlin across the autumn change, and once for 02:30 that happens twice', { timeout: 60_000 }, async () => {
    const { nine, halfTwo } = await runThrough('2026-10-24T08:30:00Z', '2026-10-27T08:30:00Z');
    expect(nine).toEqual(['2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z', '2026-10-27T08:00:00.000Z']);
    // 25 October has 02:30 twice: it runs at the first (CEST, 00:30Z) only.
    expect(halfTwo).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
  });
});

describe('an agency job', () => {
  it("runs in its agency's RLS context and sees only that agency's rows", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    for (const [agency, n] of [[a, 3], [b, 2]] as const) {
      for (let i = 0; i < n; i++) await owner`insert into payments.inbox (consumer, event_id, agency_id) values ('seen', ${randomUUID()}, ${agency})`;
    }
    const seen = new Map<string, string[]>();
    const runner = replica().register({
      name: 'test.look',
      async run(tx, job) {
        const rows = await tx.execute<{ agency_id: string }>(sql`select agency_id from payments.inbox where consumer = 'seen'`);
        seen.set(job.agencyId ?? 'none', rows.map((r) => r.agency_id));
      },
    });
    const writer = serviceDb();
    for (const agency of [a, b]) await tenantTx(writer, agency, (tx) => runner.enqueue(tx, { name: 'test.look', agencyId: agency }));
    runner.start();
    await waitFor(() => (seen.size === 2 ? true : undefined));
    expect(seen.get(a)).toEqual([a, a, a]);
    expect(seen.get(b)).toEqual([b, b]);
  });

  it('cannot be queued for another agency than the transaction is pinned to', async () => {
    const runner = replica().register({ name: 'test.look', run: async () => {} });
    await expect(tenantTx(serviceDb(), randomUUID(), (tx) => runner.enqueue(tx, { name: 'test.look', agencyId: randomUUID() }))).rejects.toThrow();
  });
});

describe('a failing job', () => {
  it('is retried with exponential back-off and ends failed with its error', async () => {
    const agency = randomUUID();
    const calls: number[] = [];
    const failures: unknown[] = [];
    const runner = replica().register({
      name: 'test.flaky',
      maxAttempts: 3,
      backoff: { baseMs: 150 },
      async run(_tx, job) {
        calls.push(Date.now());
        throw new Error(`boom on attempt ${job.attempt}`);
      },
      async failed(tx, job, failure) {
        const [pinned] = await tx.execute<{ agency: string }>(sql`select current_setting('app.agency_id') as agency`);
        failures.push({ agency: pinned?.agency, attempt: job.attempt, ...failure });
      },
    });
    const id = await tenantTx(serviceDb(), agency, (tx) => runner.enqueue(tx, { name: 'test.flaky', agencyId: agency }));
    runner.start();
    expect(await waitForStatus(id, 'failed')).toMatchObject({ attempts: 3, last_error: 'boom on attempt 3', locked_by: null });
    expect(calls).toHaveLength(3);
    // 150 ms before the second attempt, 300 ms before the third (a lower bound: later is fine).
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(145);
    expect(calls[2]! - calls[1]!).toBeGreaterThanOrEqual(295);
    expect(failures).toEqual([{ agency, attempt: 3, error: 'boom on attempt 3', interrupted: false }]);
  });

  it('keeps the error of a failed attempt and completes when a retry succeeds', async () => {
    const agency = randomUUID();
    const runner = replica().register({
      name: 'test.second-time',
      backoff: { baseMs: 10 },
      async run(_tx, job) {
        if (job.attempt === 1) throw new Error('transient');
      },
    });
    const id = await tenantTx(serviceDb(), agency, (tx) => runner.enqueue(tx, { name: 'test.second-time', agencyId: agency }));
    runner.start();
    expect(await waitForStatus(id, 'completed')).toMatchObject({ attempts: 2, last_error: 'transient' });
  });

  it('whose worker died on its last attempt is failed as interrupted, without running again', async () => {
    const agency = randomUUID();
    let ran = 0;
    const failures: unknown[] = [];
    const runner = replica().register({
      name: 'test.doomed',
      maxAttempts: 2,
      run: async () => void ran++,
      failed: async (_tx, _job, failure) => void failures.push(failure),
    });
    const id = await tenantTx(serviceDb(), agency, (tx) => runner.enqueue(tx, { name: 'test.doomed', agencyId: agency }));
    await owner`update payments.jobs set status = 'running', attempts = 2, locked_by = 'dead:1', locked_until = now() - interval '1 minute' where id = ${id}`;
    runner.start();
    expect(await waitForStatus(id, 'failed')).toMatchObject({ attempts: 3 });
    expect(ran).toBe(0);
    expect(failures).toEqual([{ error: 'interrupted: the worker running this job stopped on each of its 2 attempts', interrupted: true }]);
  });

  it('that throws a permanent error fails at once, without retries', async () => {
    const agency = randomUUID();
    let runs = 0;
    const runner = replica().register({
      name: 'test.hopeless',
      backoff: { baseMs: 10 },
      async run() {
        runs++;
        throw new PermanentJobError('the file is not CSV');
      },
    });
    const id = await tenantTx(serviceDb(), agency, (tx) => runner.enqueue(tx, { name: 'test.hopeless', agencyId: agency }));
    runner.start();
    expect(await waitForStatus(id, 'failed')).toMatchObject({ attempts: 1, last_error: 'the file is not CSV' });
    expect(runs).toBe(1);
  });

  it('with a payload its definition refuses fails at once', async () => {
    const agency = randomUUID();
    const { z } = await import('zod');
    const runner = replica().register({ name: 'test.typed', payload: z.object({ n: z.number() }), run: async () => {} });
    const id = await tenantTx(serviceDb(), agency, (tx) => runner.enqueue(tx, { name: 'test.typed', agencyId: agency, payload: { n: 'one' } }));
    runner.start();
    const row = await waitForStatus(id, 'failed');
    expect(row).toMatchObject({ attempts: 1 });
    expect(row?.last_error).toMatch(/^invalid payload/);
  });
});
