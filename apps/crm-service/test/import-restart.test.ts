import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, newPrincipal, serviceClient, stopTestService, waitFor, type TestDatabase } from '@atelier/platform/testing';
import { crmMigrations, type CrmHarness } from './crm-harness.js';
import { startCrmWithImports, upload, waitForJob } from './import-test-helpers.js';

let db: TestDatabase;
let owner: postgres.Sql;
const running: CrmHarness[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ crm: crmMigrations });
  owner = postgres(db.ownerUrl, { max: 2, onnotice: () => {} });
});
afterEach(async () => {
  for (const h of running.splice(0)) await stopTestService(h.service);
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

const start = async (options: Parameters<typeof startCrmWithImports>[0] = {}) => {
  const h = await startCrmWithImports(options, db);
  running.push(h);
  return h;
};
const stop = async (h: CrmHarness) => {
  running.splice(running.indexOf(h), 1);
  await stopTestService(h.service);
};

const csvOf = (n: number, prefix: string) => ['name,email', ...Array.from({ length: n }, (_, i) => `${prefix} ${i + 1},${prefix.toLowerCase()}${i + 1}@x.test`)].join('\n');
const clientNames = async (agencyId: string) =>
  (await owner<{ name: string }[]>`select name from crm.clients where agency_id = ${agencyId}`).map((r) => r.name).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

/**
 * What a process that died in the middle of an import leaves behind: the import running with the
 * counters of its committed batches, and its kit job running under a lease that has expired.
 */
async function crashMidJob(jobId: string, mapping: Record<string, string>, done: { processed: number; lastRow: number; created: number; attempts: number }) {
  await owner`
    update crm.import_jobs set status = 'running', mapping = ${owner.json(mapping)}, processed = ${done.processed}, last_row = ${done.lastRow},
      created = ${done.created}, started_at = now() - interval '11 minutes'
    where id = ${jobId}`;
  await owner`
    insert into crm.jobs (id, agency_id, name, status, attempts, max_attempts, locked_by, locked_until, started_at)
    select id, agency_id, 'crm.import', 'running', ${done.attempts}, 3, 'crashed-host:4242:deadbeef', now() - interval '10 minutes', now() - interval '11 minutes'
    from crm.import_jobs where id = ${jobId}`;
}
const kitJob = async (id: string) => (await owner`select status, attempts, locked_by, locked_until from crm.jobs where id = ${id}`)[0];

describe('a job interrupted by a crash', () => {
  it('is resumed after its last committed batch by the next crm instance that starts', async () => {
    const who = newPrincipal('owner');
    const first = await start();
    const up = await upload(first.url, who, { entity: 'clients', file: csvOf(10, 'Resume') });
    expect(up.status).toBe(201);
    await stop(first);
    // Rows 1–4 were committed (with the counters, in the same transactions) before the process died.
    await crashMidJob(up.body.id, up.body.suggestedMapping, { processed: 4, lastRow: 4, created: 4, attempts: 1 });

    const second = await start({ batchSize: 2 });
    const job = await waitForJob(second.url, who, up.body.id);
    expect(job).toMatchObject({ status: 'completed', total: 10, processed: 10, created: 10, updated: 0, failed: 0, error: null });
    // Exactly the rows after the last committed batch were applied by the new worker: none twice, none skipped.
    expect(await clientNames(who.agencyId)).toEqual(['Resume 5', 'Resume 6', 'Resume 7', 'Resume 8', 'Resume 9', 'Resume 10']);
    // The kit job was claimed once more (attempt 2) and completed.
    // Completed just after the import's own row says so (the job's last step commits first).
    const completed = await waitFor(async () => {
      const row = await kitJob(up.body.id);
      return row?.status === 'completed' ? row : undefined;
    });
    expect(completed).toMatchObject({ status: 'completed', attempts: 2, locked_by: null, locked_until: null });
  });

  it('is failed, saying what was and was not imported, once its workers died too often', async () => {
    const who = newPrincipal('owner');
    const first = await start();
    const up = await upload(first.url, who, { entity: 'clients', file: csvOf(10, 'Doomed') });
    await stop(first);
    await crashMidJob(up.body.id, up.body.suggestedMapping, { processed: 4, lastRow: 4, created: 4, attempts: 3 });

    const second = await start({ maxAttempts: 3 });
    const job = await waitForJob(second.url, who, up.body.id);
    expect(job.status).toBe('failed');
    expect(job).toMatchObject({ total: 10, processed: 4, created: 4 });
    expect(job.error).toBe(
      'Interrupted after 4 of 10 rows: the process running this import stopped 3 times. Rows 1–4 were imported (4 created, 0 updated, 0 failed); ' +
        'the remaining 6 rows were not imported. Upload the file again to import them: rows already imported are matched, not duplicated.',
    );
    expect(await clientNames(who.agencyId)).toEqual([]);
    expect((await owner`select count(*)::int as n from crm.import_file_chunks where job_id = ${up.body.id}`)[0]?.n).toBe(0);
  });

  it('is not taken over while its worker is alive (lease kept fresh by its heartbeat)', async () => {
    const who = newPrincipal('owner');
    const first = await start();
    const up = await upload(first.url, who, { entity: 'clients', file: csvOf(3, 'Alive') });
    await stop(first);
    await crashMidJob(up.body.id, up.body.suggestedMapping, { processed: 0, lastRow: 0, created: 0, attempts: 1 });
    await owner`update crm.jobs set locked_until = now() + interval '10 minutes' where id = ${up.body.id}`;
    const second = await start({ pollMs: 50 });
    await new Promise((r) => setTimeout(r, 500));
    const api = serviceClient(second.url, who);
    expect((await api('GET', `/api/imports/${up.body.id}`)).body).toMatchObject({ status: 'running', processed: 0 });
  });
});

describe('workers that stop or lose the job', () => {
  it('hands a job back on a graceful stop; another instance finishes it with no row applied twice', { timeout: 60_000 }, async () => {
    const who = newPrincipal('owner');
    const first = await start({ batchSize: 1 });
    const up = await upload(first.url, who, { entity: 'clients', file: csvOf(400, 'Handover') });
    const api = serviceClient(first.url, who);
    await api('POST', `/api/imports/${up.body.id}/commit`, { mapping: up.body.suggestedMapping });
    await waitFor(async () => ((await api('GET', `/api/imports/${up.body.id}`)).body.processed > 0 ? true : undefined), 20_000, 5);
    await stop(first);
    const [handed] = await owner`select status, processed from crm.import_jobs where id = ${up.body.id}`;
    expect(handed).toMatchObject({ status: 'queued' });
    expect(handed?.processed).toBeLessThan(400);
    // Handed back to the kit's queue, not counted as an attempt.
    expect(await kitJob(up.body.id)).toMatchObject({ status: 'queued', attempts: 0, locked_by: null });

    const second = await start({ batchSize: 50 });
    const job = await waitForJob(second.url, who, up.body.id);
    expect(job).toMatchObject({ status: 'completed', processed: 400, created: 400 });
    const names = await clientNames(who.agencyId);
    expect(names).toHaveLength(400);
    expect(new Set(names).size).toBe(400);
  });

  it('stops committing once another worker has taken the job over', { timeout: 60_000 }, async () => {
    const who = newPrincipal('owner');
    const first = await start({ batchSize: 1 });
    const up = await upload(first.url, who, { entity: 'clients', file: csvOf(400, 'Lease') });
    const api = serviceClient(first.url, who);
    await api('POST', `/api/imports/${up.body.id}/commit`, { mapping: up.body.suggestedMapping });
    await waitFor(async () => ((await api('GET', `/api/imports/${up.body.id}`)).body.processed > 0 ? true : undefined), 20_000, 5);
    // As if our heartbeat had gone stale and another replica had claimed the job.
    await owner`update crm.jobs set locked_by = 'other-replica:1:cafe' where id = ${up.body.id}`;
    await new Promise((r) => setTimeout(r, 300));
    const [frozen] = await owner<{ processed: number }[]>`select processed from crm.import_jobs where id = ${up.body.id}`;
    await new Promise((r) => setTimeout(r, 300));
    const [still] = await owner<{ processed: number }[]>`select processed from crm.import_jobs where id = ${up.body.id}`;
    expect(still?.processed).toBe(frozen?.processed);
    expect(await clientNames(who.agencyId)).toHaveLength(frozen?.processed ?? -1);

    // That other replica "dies" too; a fresh instance resumes and completes it exactly.
    await stop(first);
    await owner`update crm.jobs set locked_until = now() - interval '10 minutes' where id = ${up.body.id}`;
    const second = await start({ batchSize: 50 });
    const job = await waitForJob(second.url, who, up.body.id);
    expect(job).toMatchObject({ status: 'completed', processed: 400, created: 400 });
    expect(new Set(await clientNames(who.agencyId)).size).toBe(400);
  });
});

describe('housekeeping', () => {
  it('expires uploads never committed and removes file chunks nothing can read any more', async () => {
    const who = newPrincipal('owner');
    const first = await start();
    const up = await upload(first.url, who, { entity: 'clients', file: csvOf(3, 'Stale') });
    await stop(first);
    await owner`update crm.import_jobs set created_at = now() - interval '2 days' where id = ${up.body.id}`;
    const orphan = '00000000-0000-4000-8000-000000000001';
    await owner`insert into crm.import_file_chunks (job_id, seq, agency_id, data, created_at) values (${orphan}, 0, ${who.agencyId}, ${Buffer.from('x')}, now() - interval '2 hours')`;

    // The sweep is a schedule (every 10 minutes, once per slot across replicas): this instance's
    // clock is an hour on, so the slot it sees has not been swept yet by the instances before it.
    const second = await start({ uploadTtlMs: 24 * 60 * 60 * 1000, now: () => new Date(Date.now() + 60 * 60_000) });
    const api = serviceClient(second.url, who);
    const job = await waitFor(async () => {
      const res = await api('GET', `/api/imports/${up.body.id}`);
      return res.body.status === 'failed' ? res.body : undefined;
    });
    expect(job.error).toBe('The upload expired before it was committed; nothing was imported.');
    expect((await api('POST', `/api/imports/${up.body.id}/commit`, { mapping: up.body.suggestedMapping })).status).toBe(409);
    await waitFor(async () => ((await owner`select count(*)::int as n from crm.import_file_chunks where agency_id = ${who.agencyId}`)[0]?.n === 0 ? true : undefined));
  });
});
