import { spawn } from 'node:child_process';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  deleteBusNamespace,
  newPrincipal,
  repoRoot,
  serviceClient,
  stopTestService,
  TEST_AMQP_URL,
  TEST_RETRY_DELAYS_MS,
  testEnv,
  testNamespace,
  waitFor,
  type TestDatabase,
} from '@atelier/platform/testing';
import { crmMigrations } from './crm-harness.js';
import { startCrmWithImports, upload, waitForJob } from './import-test-helpers.js';

let db: TestDatabase;
let owner: postgres.Sql;
beforeAll(async () => {
  db = await createTestDatabase({ crm: crmMigrations });
  owner = postgres(db.ownerUrl, { max: 3, onnotice: () => {} });
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

/** crm-service as its own process (node itself, not a tsx wrapper, so SIGKILL kills the service), on a port it picks. */
async function spawnCrm(namespace: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/crm-service/src/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ...testEnv('crm', db, namespace, { LOG_LEVEL: 'info', JOBS_LEASE_MS: '1000' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await waitFor(() => /"msg":"crm listening"/.test(output) && /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1], 60_000).catch((err) => {
    child.kill('SIGKILL');
    throw new Error(`${String(err)}\n${output}`);
  });
  return { url, output: () => output, kill: async () => void (child.kill('SIGKILL'), await exited) };
}

describe('an import whose crm process is killed mid-job', () => {
  // Generous: every wait below is bounded on its own, and on a loaded machine the child's start-up
  // (tsx compiling the service) and the 6,000 rows take many times what they take on a quiet one.
  it('is taken over by another instance once the lease runs out and resumes after the last committed batch', { timeout: 330_000 }, async () => {
    const who = newPrincipal('owner');
    const namespace = testNamespace();
    const crashing = await spawnCrm(namespace);
    const api = serviceClient(crashing.url, who);
    const rows = 6_000;
    // The last row updates this client: holding its row lock stops the child inside its last batch,
    // after the batches before it have committed (whatever the batch size below 6,000), and there
    // we kill it.
    const existing = await api('POST', '/api/clients', { name: 'Old name', email: `killed${rows}@x.test` });
    expect(existing.status).toBe(201);
    const file = ['name,email', ...Array.from({ length: rows }, (_, i) => `Killed ${i + 1},killed${i + 1}@x.test`)].join('\n');
    const up = await upload(crashing.url, who, { entity: 'clients', file });
    expect(up.status).toBe(201);

    const locker = await owner.reserve();
    await locker`begin`;
    await locker`select 1 from crm.clients where id = ${existing.body.id} for update`;
    try {
      expect((await api('POST', `/api/imports/${up.body.id}/commit`, { mapping: up.body.suggestedMapping })).status).toBe(202);
      const interrupted = await waitFor(async () => {
        const [job] = await owner<{ processed: number }[]>`select processed from crm.import_jobs where id = ${up.body.id}`;
        // The child's backend waiting for our row lock (in this test's database only: the server is shared).
        const waiting = await owner`
          select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where not l.granted and a.datname = current_database() and a.pid <> pg_backend_pid()`;
        return !!job && job.processed > 0 && waiting.length > 0 ? job : undefined;
      }, 90_000).catch((err: unknown) => {
        throw new Error(`the child never stopped inside its last batch: ${String(err)}\n${crashing.output().slice(-4_000)}`);
      });
      expect(interrupted.processed).toBeLessThan(rows);
      expect((await owner`select status, attempts from crm.jobs where id = ${up.body.id}`)[0]).toMatchObject({ status: 'running', attempts: 1 });
      await crashing.kill();
    } finally {
      await locker`rollback`;
      locker.release();
    }

    const survivor = await startCrmWithImports({}, db);
    try {
      const job = await waitForJob(survivor.url, who, up.body.id, 120_000);
      expect(job).toMatchObject({ status: 'completed', total: rows, processed: rows, created: rows - 1, updated: 1, failed: 0, error: null });
      // The kit marks its job row completed just after the import's own row says so (the job's last step commits first).
      const kitJob = await waitFor(async () => {
        const [row] = await owner<{ status: string; attempts: number; locked_by: string | null }[]>`select status, attempts, locked_by from crm.jobs where id = ${up.body.id}`;
        return row?.status === 'completed' ? row : undefined;
      }, 30_000);
      expect(kitJob).toMatchObject({ status: 'completed', attempts: 2, locked_by: null });
      // The rows committed before the kill were not applied again: a second pass would have found them unchanged.
      expect((await owner`select unchanged from crm.import_jobs where id = ${up.body.id}`)[0]).toEqual({ unchanged: 0 });
      const [clients] = await owner<{ n: number; distinct: number }[]>`
        select count(*)::int as n, count(distinct name)::int as distinct from crm.clients where agency_id = ${who.agencyId} and name like 'Killed %'`;
      expect(clients).toEqual({ n: rows, distinct: rows });
    } finally {
      await stopTestService(survivor.service);
      await deleteBusNamespace(TEST_AMQP_URL, namespace, ['crm.timeline'], TEST_RETRY_DELAYS_MS).catch(() => {});
    }
  });
});
