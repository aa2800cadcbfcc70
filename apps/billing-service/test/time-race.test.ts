import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '@atelier/contracts';
import { clientSnapshot, crmEvent } from '@atelier/contracts/testing';
import { tenantTx, type Db } from '@atelier/platform';
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
import { invoiceLineTimeEntries, timeEntries } from '../src/db/schema.js';
import { issueInvoice } from '../src/invoices/invoice-issue.js';
import { billingMigrations, startBilling, type BillingHarness } from './billing-harness.js';
import { envelope } from './projects-events.js';
import { deliverAll } from './time-seed.js';

/**
 * events.md › Time entry lifecycle, the invariant: an entry edited in projects while billing
 * drafts it is never billed at the old value. projects-service runs as a child process on the
 * same bus and database, billing in-process (so the test can hold its replica back).
 */
let db: TestDatabase;
let namespace: string;
let projects: ChildService;
let billing: BillingHarness;
let bdb: Db;
let sql: postgres.Sql;
const who = newPrincipal('owner');
const clientId = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase({ projects: path.join(repoRoot, 'apps/projects-service/drizzle'), billing: billingMigrations });
  namespace = testNamespace();
  projects = await spawnService('projects', 'apps/projects-service/src/main.ts', testEnv('projects', db, namespace), 60_000);
  billing = await startBilling({ db, namespace });
  bdb = billing.service.ctx.database.db;
  sql = postgres(db.ownerUrl, { max: 2, onnotice: () => {} });
  // The agency, its owner and the client reach both services' replicas as the gateway's and crm's events.
  await deliverAll(billing, [
    envelope(who.agencyId, 'identity.agency.updated.v1', { version: 1, agency: { id: who.agencyId, name: 'Studio', timezone: 'UTC', currency: 'EUR', email: null, phone: null, website: null, address: null, taxId: null, logo: null } }),
    envelope(who.agencyId, 'identity.member.joined.v1', { member: { userId: who.userId, name: 'Olivia Owner', email: 'o@studio.test', role: 'owner' }, version: 1 }),
    crmEvent(who.agencyId, { name: 'crm.client.created.v1', payload: clientSnapshot(clientId, 1, { name: 'ACME', currency: 'EUR' }) }),
  ]);
}, 120_000);
afterAll(async () => {
  await projects?.stop();
  if (billing) await stopTestService(billing.service);
  await sql?.end();
  await deleteBusNamespace(TEST_AMQP_URL, namespace, ['projects.client-replica', 'projects.member-replica', 'projects.agency-replica', 'projects.billing-lifecycle'], TEST_RETRY_DELAYS_MS);
  await db?.drop();
});

const inProjects = () => serviceClient(projects.url, who);
const inBilling = () => serviceClient(billing.url, who);
const timeConsumer = () => billing.service.consumers.find((c) => c.name === 'billing.time-entry-replica')!;

/** A project at 100.00 an hour (once projects knows the client) and entries logged on it, once billing's replica has them. */
async function projectWithTime(minutes: number[]): Promise<{ projectId: string; ids: string[] }> {
  const project = await waitFor(async () => {
    const res = await inProjects()('POST', '/api/projects', { clientId, name: `Website ${randomUUID().slice(0, 4)}`, hourlyRate: '100.00' });
    return res.status === 201 ? (res.body as { id: string }) : undefined;
  }, 30_000);
  const ids: string[] = [];
  for (const [i, m] of minutes.entries()) {
    const res = await inProjects()('POST', '/api/time-entries', { projectId: project.id, date: `2026-11-${String(2 + i).padStart(2, '0')}`, minutes: m });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  await waitFor(async () => (await replica(ids)).length === ids.length || undefined, 30_000);
  return { projectId: project.id, ids };
}

const replica = (ids: string[]) => tenantTx(bdb, who.agencyId, (tx) => tx.select().from(timeEntries)).then((rows) => rows.filter((r) => ids.includes(r.id)));
const reservations = (invoiceId: string) => tenantTx(bdb, who.agencyId, (tx) => tx.select().from(invoiceLineTimeEntries).where(eq(invoiceLineTimeEntries.invoiceId, invoiceId)));
const entryInProjects = async (id: string) => (await inProjects()('GET', `/api/time-entries/${id}`)).body as { id: string; minutes: number; roundedMinutes: number; amount: string; billingStatus: string; invoiceId: string | null };
const issue = (invoiceId: string) => tenantTx(bdb, who.agencyId, (tx) => issueInvoice(tx, who, invoiceId));

/** projects applied the invoice's event and billing applied what projects answered: every entry on the draft is reserved for it in billing's replica, or refused. */
async function settled(invoice: Invoice): Promise<void> {
  const ids = invoice.lineItems.flatMap((l) => l.timeEntryIds);
  await waitFor(async () => {
    const [rows, held] = [await reservations(invoice.id), await replica(ids)];
    const reservedHere = new Set(held.filter((r) => r.billingStatus === 'reserved' && r.invoiceId === invoice.id).map((r) => r.id));
    return rows.filter((r) => r.releasedAt === null).every((r) => r.refusedReason !== null || reservedHere.has(r.timeEntryId)) || undefined;
  }, 30_000);
}

describe('an edit racing a draft from time', () => {
  it('is detected when it slipped in before the reservation: projects refuses, billing records it, issuing is refused; the redrafted time bills the new value', async () => {
    const { projectId, ids } = await projectWithTime([60]);
    const id = ids[0]!;
    // billing's replica is held back: it still has the entry at 60 minutes when the draft is made.
    let draftId = '';
    await timeConsumer().stop();
    try {
      expect((await inProjects()('PATCH', `/api/time-entries/${id}`, { minutes: 90 })).status).toBe(200);
      const draft = await inBilling()('POST', '/api/invoices/from-time', { projectId, groupBy: 'entry' });
      expect(draft.status).toBe(201);
      expect(draft.body.lineItems.map((l: Invoice['lineItems'][number]) => [l.quantity, l.amount])).toEqual([['1', '100.00']]);
      draftId = draft.body.id;
      // projects applies the drafted event (its invoice state row says so) while billing hears nothing.
      await waitFor(async () => (await sql`select 1 from projects.invoice_states where id = ${draft.body.id}`).length === 1 || undefined, 30_000);
      expect(await entryInProjects(id)).toMatchObject({ minutes: 90, billingStatus: 'unbilled', invoiceId: null });
    } finally {
      await timeConsumer().start();
    }
    await waitFor(async () => (await reservations(draftId))[0]?.refusedReason === 'changed' || undefined, 30_000);
    await expect(issue(draftId)).rejects.toMatchObject({ code: 'invoice.time_changed', kind: 'conflict' });

    // The stale line removed, the time drafted again: now at 90 minutes, reserved and billed at that.
    expect((await inBilling()('PATCH', `/api/invoices/${draftId}`, { lineItems: [] })).status).toBe(200);
    await waitFor(async () => (await replica([id]))[0]?.minutes === 90 || undefined, 30_000);
    const again = await inBilling()('POST', '/api/invoices/from-time', { projectId, groupBy: 'entry' });
    expect(again.status).toBe(201);
    expect(again.body.lineItems.map((l: Invoice['lineItems'][number]) => [l.quantity, l.amount])).toEqual([['1.5', '150.00']]);
    await settled(again.body);
    expect((await reservations(again.body.id)).map((r) => r.refusedReason)).toEqual([null]);
    await issue(again.body.id);
    await waitFor(async () => (await entryInProjects(id)).billingStatus === 'billed' || undefined, 30_000);
    expect(await entryInProjects(id)).toMatchObject({ minutes: 90, amount: '150.00', billingStatus: 'billed', invoiceId: again.body.id });
  }, 120_000);

  it('whatever the interleaving, no entry is billed at a value it no longer has', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 3; round++) {
      const { projectId, ids } = await projectWithTime(Array.from({ length: 8 }, (_, i) => 30 + i * 15));
      // Every entry edited while the draft is made and reserved: some before, some during, some after.
      const [draft, ...edits] = await Promise.all([
        inBilling()('POST', '/api/invoices/from-time', { projectId, groupBy: 'entry' }),
        ...ids.map(async (id, i) => {
          await new Promise((resolve) => setTimeout(resolve, i * (20 + round * 40)));
          return inProjects()('PATCH', `/api/time-entries/${id}`, { minutes: 45 + i * 15 });
        }),
      ]);
      expect(draft.status).toBe(201);
      // An edit either went through (the entry was not yet reserved) or was refused as locked.
      for (const e of edits) expect(e.status === 200 || (e.status === 409 && e.body.code === 'time_entry.locked')).toBe(true);
      const invoice = draft.body as Invoice;
      await settled(invoice);
      const rows = await reservations(invoice.id);
      outcomes.push(...rows.map((r) => r.refusedReason ?? 'taken'));
      for (const r of rows) {
        const now = await entryInProjects(r.timeEntryId);
        if (r.refusedReason === null) {
          // Taken: projects holds it for this invoice, at exactly what the line bills.
          expect(now).toMatchObject({ billingStatus: 'reserved', invoiceId: invoice.id, roundedMinutes: r.roundedMinutes });
          expect(Number(now.amount)).toBe(Number(r.amount));
        } else {
          expect(r.refusedReason).toBe('changed');
          expect(now).toMatchObject({ billingStatus: 'unbilled', invoiceId: null });
          expect(now.roundedMinutes).not.toBe(r.roundedMinutes);
        }
      }
      if (rows.some((r) => r.refusedReason !== null)) await expect(issue(invoice.id)).rejects.toMatchObject({ code: 'invoice.time_changed' });
      else {
        await issue(invoice.id);
        for (const r of rows) await waitFor(async () => (await entryInProjects(r.timeEntryId)).billingStatus === 'billed' || undefined, 30_000);
      }
    }
    console.info(`time race outcomes: ${outcomes.filter((o) => o === 'taken').length} taken at their value, ${outcomes.filter((o) => o !== 'taken').length} refused as changed`);
  }, 180_000);
});
