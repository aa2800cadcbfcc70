import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { createTestDatabase, newPrincipal, serviceClient, stopTestService, testEnv, testNamespace, waitFor, type TestDatabase, type TestPrincipal } from '@atelier/platform/testing';
import { eq } from 'drizzle-orm';
import { loadBillingConfig } from '../src/config.js';
import { buildBillingService } from '../src/billing-service.js';
import { invoices } from '../src/db/schema.js';
import { issueInvoice } from '../src/invoices/invoice-issue.js';
import { OVERDUE_SCHEDULE } from '../src/overdue/overdue-schedule.js';
import { billingMigrations } from './billing-harness.js';
import { outboxEvents, seedAgency, seedClient } from './invoice-helpers.js';

/** Two replicas on one database, both with the driven clock: a slot fires once across them. */
let clock = new Date('2026-12-01T12:00:00Z');
let testDb: TestDatabase;
const services: ReturnType<typeof buildBillingService>[] = [];
let url = '';
let db: Db;
beforeAll(async () => {
  testDb = await createTestDatabase({ billing: billingMigrations });
  const namespace = testNamespace();
  for (let i = 0; i < 2; i++) {
    const service = buildBillingService(loadBillingConfig(testEnv('billing', testDb, namespace, { JOBS_POLL_MS: '50' })), { jobRunner: { now: () => clock, scheduleTickMs: 3_600_000 } });
    const server = await service.start();
    services.push(service);
    url ||= server.url;
  }
  db = services[0]!.ctx.database.db;
});
afterAll(async () => {
  for (const s of services) await stopTestService(s);
  await testDb.drop();
});

async function invoice(who: TestPrincipal, dueDate: string, issue = true): Promise<string> {
  const clientId = await seedClient(db, who.agencyId);
  const created = await serviceClient(url, who)('POST', '/api/invoices', { clientId, issueDate: '2026-11-01', dueDate, lineItems: [{ description: 'Work', quantity: '1', unitPrice: '100.00' }] });
  if (issue) await tenantTx(db, who.agencyId, (tx) => issueInvoice(tx, who, created.body.id));
  return created.body.id as string;
}
const statusOf = async (who: TestPrincipal, id: string) => (await tenantTx(db, who.agencyId, (tx) => tx.select().from(invoices).where(eq(invoices.id, id))))[0]!;

/** Ticks both replicas at `at`; returns how many fired the overdue slot (0 or 1). */
async function tick(at: string): Promise<number> {
  clock = new Date(at);
  const fired = await Promise.all(services.map((s) => s.ctx.jobs.tickSchedules()));
  return fired.flat().filter((f) => f.schedule === OVERDUE_SCHEDULE).length;
}

describe('overdue schedule (kit recurring schedule, driven clock)', () => {
  it("marks open invoices past due at the start of each agency's own day, once, with an event and history", async () => {
    const berlin = newPrincipal('owner');
    const honolulu = newPrincipal('owner');
    await seedAgency(db, berlin.agencyId, 'Europe/Berlin');
    await seedAgency(db, honolulu.agencyId, 'Pacific/Honolulu');
    const b = await invoice(berlin, '2026-12-01');
    const bLater = await invoice(berlin, '2026-12-02');
    const bDraft = await invoice(berlin, '2026-11-15', false);
    const bPaid = await invoice(berlin, '2026-11-15');
    await tenantTx(db, berlin.agencyId, (tx) => tx.update(invoices).set({ status: 'paid', amountPaid: '100', amountDue: '0' }).where(eq(invoices.id, bPaid)));
    const hPartial = await invoice(honolulu, '2026-12-01');
    await tenantTx(db, honolulu.agencyId, (tx) => tx.update(invoices).set({ status: 'partially_paid', amountPaid: '40', amountDue: '60' }).where(eq(invoices.id, hPartial)));

    // 23:00 UTC: still 1 December in Berlin (midnight is at 23:00 UTC in winter).
    expect(await tick('2026-12-01T22:50:00Z')).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect((await statusOf(berlin, b)).status).toBe('sent');

    // 23:15 UTC: 2 December in Berlin, 13:15 on 1 December in Honolulu.
    expect(await tick('2026-12-01T23:15:00Z')).toBe(1);
    await waitFor(async () => (await statusOf(berlin, b)).status === 'overdue');
    expect((await statusOf(berlin, b)).overdueAt!.toISOString()).toBe('2026-12-01T23:00:00.000Z');
    expect((await statusOf(berlin, bLater)).status).toBe('sent');
    expect((await statusOf(berlin, bDraft)).status).toBe('draft');
    expect((await statusOf(berlin, bPaid)).status).toBe('paid');
    expect((await statusOf(honolulu, hPartial)).status).toBe('partially_paid');
    // The same slot again, on either replica: nothing fires.
    expect(await tick('2026-12-01T23:20:00Z')).toBe(0);

    // 10:00 UTC on 2 December is the start of Honolulu's 2 December.
    expect(await tick('2026-12-02T10:00:00Z')).toBe(1);
    await waitFor(async () => (await statusOf(honolulu, hPartial)).status === 'overdue');
    const [event] = await outboxEvents(db, honolulu.agencyId, 'billing.invoice.overdue.v1');
    expect(event!.payload).toMatchObject({ invoiceId: hPartial, status: 'overdue', amountPaid: '40.00', amountDue: '60.00', dueDate: '2026-12-01', overdueAt: '2026-12-02T10:00:00.000Z' });
    expect((await serviceClient(url, honolulu)('GET', `/api/invoices/${hPartial}/history`)).body.data.map((c: { status: string; actorId: string | null }) => [c.status, c.actorId])).toEqual([
      ['draft', honolulu.userId],
      ['sent', honolulu.userId],
      ['overdue', null],
    ]);
    // Berlin's next day marks the one due on 2 December, and each invoice had one overdue event.
    expect(await tick('2026-12-02T23:00:00Z')).toBe(1);
    await waitFor(async () => (await statusOf(berlin, bLater)).status === 'overdue');
    expect((await outboxEvents(db, berlin.agencyId, 'billing.invoice.overdue.v1')).map((e) => (e.payload as { invoiceId: string }).invoiceId).sort()).toEqual([b, bLater].sort());
  });
});
