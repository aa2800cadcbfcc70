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
  spawnService,
  stopTestService,
  TEST_AMQP_URL,
  TEST_RETRY_DELAYS_MS,
  testEnv,
  testNamespace,
  waitFor,
  type ChildService,
  type TestDatabase,
} from '@atelier/platform/testing';
import { billingMigrations, startBilling, type BillingHarness } from './billing-harness.js';

/**
 * events.md › Resync: a replica created after crm published its events (here billing, started
 * only afterwards, so its queues missed them all) is filled by `npm run resync -- crm`.
 */
let db: TestDatabase;
let namespace: string;
let crm: ChildService;
let billing: BillingHarness | undefined;
let sql: postgres.Sql;
const who = newPrincipal('owner');

beforeAll(async () => {
  db = await createTestDatabase({ crm: path.join(repoRoot, 'apps/crm-service/drizzle'), billing: billingMigrations });
  namespace = testNamespace();
  crm = await spawnService('crm', 'apps/crm-service/src/main.ts', testEnv('crm', db, namespace));
  sql = postgres(db.ownerUrl, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  if (billing) await stopTestService(billing.service);
  await crm?.stop();
  await sql?.end();
  await deleteBusNamespace(TEST_AMQP_URL, namespace, ['crm.timeline'], TEST_RETRY_DELAYS_MS);
  await db?.drop();
});

/** Runs the resync command as an operator would, against the test database. */
function runResync(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'tools/dev/src/resync.ts'), 'crm', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...testEnv('crm', db, namespace) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const unpublished = async () => Number((await sql<{ n: string }[]>`select count(*)::text as n from crm.outbox where published_at is null`)[0]?.n);

/** What crm holds and what billing holds, in one comparable shape (a tombstone keeps no primary flag). */
const crmClients = () => sql`select id, name, version, deleted_at is not null as deleted from crm.clients where agency_id = ${who.agencyId} order by id`;
const billingClients = () => sql`select id, name, version, deleted_at is not null as deleted from billing.clients where agency_id = ${who.agencyId} order by id`;
const crmContacts = () =>
  sql`select id, client_id, first_name, is_primary and deleted_at is null as is_primary, version, deleted_at is not null as deleted from crm.contacts where agency_id = ${who.agencyId} order by id`;
const billingContacts = () =>
  sql`select id, client_id, first_name, is_primary and deleted_at is null as is_primary, version, deleted_at is not null as deleted from billing.contacts where agency_id = ${who.agencyId} order by id`;

describe('resync', () => {
  it('fills a replica created after the events were published, and a second run changes nothing', async () => {
    const api = serviceClient(crm.url, who);
    const ids: string[] = [];
    for (const name of ['Alpha', 'Beta', 'Gamma']) ids.push((await api('POST', '/api/clients', { name })).body.id);
    const [alpha, beta, gamma] = ids as [string, string, string];
    expect((await api('PATCH', `/api/clients/${alpha}`, { name: 'Alpha GmbH' })).status).toBe(200);
    const ada = (await api('POST', `/api/clients/${alpha}/contacts`, { firstName: 'Ada' })).body.id;
    await api('POST', `/api/clients/${alpha}/contacts`, { firstName: 'Bob', isPrimary: true });
    const cy = (await api('POST', `/api/clients/${beta}/contacts`, { firstName: 'Cy' })).body.id;
    expect((await api('DELETE', `/api/contacts/${cy}`)).status).toBe(204);
    expect((await api('DELETE', `/api/clients/${gamma}`)).status).toBe(204);
    expect((await api('PATCH', `/api/contacts/${ada}`, { title: 'CFO' })).status).toBe(200);
    // Everything went out while nobody in billing was listening.
    await waitFor(async () => (await unpublished()) === 0);

    billing = await startBilling({ db, namespace });
    expect(await billingClients()).toEqual([]);
    const timelineBefore = await sql`select count(*)::int as n from crm.timeline_entries where agency_id = ${who.agencyId}`;

    const first = await runResync(['--agency', who.agencyId]);
    expect(first.output).toContain('crm resync: 1 agencies, {"clients":3,"contacts":3,"attachmentUsage":0} written to the outbox');
    expect(first.code).toBe(0);

    const expected = { clients: await crmClients(), contacts: await crmContacts() };
    expect(expected.clients.filter((c) => c.deleted)).toHaveLength(1);
    let held: unknown;
    await waitFor(async () => {
      held = { clients: await billingClients(), contacts: await billingContacts() };
      return JSON.stringify(held) === JSON.stringify(expected) ? true : undefined;
    }, 30_000).catch(() => expect(held).toEqual(expected));

    // Again, for every agency: the same versions arrive, so nothing changes.
    const second = await runResync([]);
    expect(second.code).toBe(0);
    expect(second.output).toContain('crm resync: 1 agencies');
    await waitFor(async () => (await unpublished()) === 0);
    // Both resyncs applied by both replicas and seen by crm's timeline (two events each run: clients, contacts).
    const resyncEvents = sql`select id from crm.outbox where name like '%.resync.v1'`;
    await waitFor(async () => {
      const [b] = await sql<{ n: number }[]>`select count(*)::int as n from billing.inbox where event_id in (${resyncEvents})`;
      const [t] = await sql<{ n: number }[]>`select count(*)::int as n from crm.inbox where consumer = 'crm.timeline' and event_id in (${resyncEvents})`;
      return b?.n === 4 && t?.n === 4 ? true : undefined;
    }, 30_000);
    expect({ clients: await billingClients(), contacts: await billingContacts() }).toEqual(expected);
    // A resync is no news about any client: the timeline files nothing for it.
    expect(await sql`select count(*)::int as n from crm.timeline_entries where agency_id = ${who.agencyId}`).toEqual(timelineBefore);
  }, 180_000); // two command runs, each a tsx start, on a machine that may be busy

  it('refuses arguments it does not understand', async () => {
    const bad = await runResync(['--agency', 'not-a-uuid']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('usage: resync crm [--agency <uuid>]');
  }, 60_000);
});
