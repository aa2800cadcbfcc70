import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice, InvoiceTimePayload, UnbilledList } from '@atelier/contracts';
import { tenantTx, type Db } from '@atelier/platform';
import { sendMalformedBodies, newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { issueInvoice } from '../src/invoices/invoice-issue.js';
import { invoiceLineTimeEntries } from '../src/db/schema.js';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { outboxEvents } from './invoice-helpers.js';
import { entryPayload, envelope } from './projects-events.js';
import { deliverAll, timeProject } from './time-seed.js';

let h: BillingHarness;
let db: Db;
beforeAll(async () => {
  h = await startBilling();
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const api = (who = newPrincipal('owner')) => serviceClient(h.url, who);
const unbilled = async (call: ReturnType<typeof api>, query = '') => ((await call('GET', `/api/invoices/unbilled${query}`)).body as UnbilledList).data;
const entryIdsOf = (invoice: Invoice) => invoice.lineItems.flatMap((l) => l.timeEntryIds);

describe('GET /api/invoices/unbilled', () => {
  it("sums each project's billable, unbilled time that no live draft holds, per client", async () => {
    const who = newPrincipal('owner');
    const call = api(who);
    const a = await timeProject(h, who, { clientName: 'ACME' });
    const b = await timeProject(h, who, { clientName: 'Beta', currency: 'JPY' });
    await a.log([
      { minutes: 90, amount: '150.00' },
      { minutes: 30, amount: '50.00' },
      { minutes: 60, amount: '0.00', isBillable: false },
      { minutes: 60, billingStatus: 'billed', invoiceId: randomUUID() },
      { minutes: 60, billingStatus: 'reserved', invoiceId: randomUUID() },
    ]);
    const [gone] = await a.log([{ minutes: 45 }]);
    await deliverAll(h, [envelope(who.agencyId, 'projects.time_entry.deleted.v1', { clientId: a.clientId, projectId: a.projectId, timeEntryId: gone, version: 2, deletedAt: new Date().toISOString() })]);
    await b.log([{ minutes: 60, hourlyRate: '12000', amount: '12000' }]);

    expect(await unbilled(call)).toEqual([
      { projectId: a.projectId, projectName: 'Website', clientId: a.clientId, clientName: 'ACME', currency: 'EUR', minutes: 120, amount: '200.00', entryCount: 2 },
      { projectId: b.projectId, projectName: 'Website', clientId: b.clientId, clientName: 'Beta', currency: 'JPY', minutes: 60, amount: '12000', entryCount: 1 },
    ]);
    expect((await unbilled(call, `?clientId=${b.clientId}`)).map((p) => p.projectId)).toEqual([b.projectId]);

    // A draft from time takes the time out of the view at once, before projects has heard of it.
    expect((await call('POST', '/api/invoices/from-time', { projectId: a.projectId })).status).toBe(201);
    expect((await unbilled(call)).map((p) => p.projectId)).toEqual([b.projectId]);
    // Another agency sees none of it.
    expect(await unbilled(api(newPrincipal('owner')))).toEqual([]);
  });

  it('is for managers and above, and names a bad clientId', async () => {
    const agencyId = randomUUID();
    for (const role of ['owner', 'admin', 'manager'] as const) expect((await api(newPrincipal(role, agencyId))('GET', '/api/invoices/unbilled')).status).toBe(200);
    const member = await api(newPrincipal('member', agencyId))('GET', '/api/invoices/unbilled');
    expect(member.status).toBe(403);
    expect(member.body.code).toBe('invoice.forbidden');
    const bad = await api()('GET', '/api/invoices/unbilled?clientId=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.clientId']);
  });
});

describe('POST /api/invoices/from-time', () => {
  it('drafts the unbilled billable time in range, one line per task at the frozen rate, and reserves it through the drafted event', async () => {
    const who = newPrincipal('manager');
    const call = api(who);
    const p = await timeProject(h, who);
    const [w1, w2, b1, early, late] = await p.log([
      { taskId: p.tasks.Design!, minutes: 90, date: '2026-11-02', amount: '150.00' },
      { taskId: p.tasks.Design!, minutes: 60, date: '2026-11-03', amount: '100.00', hourlyRate: '100.00' },
      { taskId: p.tasks.Build!, minutes: 30, date: '2026-11-04', hourlyRate: '120.00', amount: '60.00' },
      { taskId: p.tasks.Build!, minutes: 30, date: '2026-10-31', amount: '50.00' },
      { taskId: p.tasks.Build!, minutes: 30, date: '2026-11-05', amount: '50.00' },
    ]);
    const res = await call('POST', '/api/invoices/from-time', { projectId: p.projectId, from: '2026-11-01', to: '2026-11-04' });
    expect(res.status).toBe(201);
    const invoice = res.body as Invoice;
    expect(res.headers.get('location')).toBe(`/api/invoices/${invoice.id}`);
    expect(invoice).toMatchObject({ status: 'draft', clientId: p.clientId, projectId: p.projectId, currency: 'EUR', subtotal: '310.00' });
    expect(invoice.lineItems.map((l) => [l.description, l.quantity, l.unitPrice, l.amount, [...l.timeEntryIds].sort()])).toEqual([
      ['Design', '2.5', '100.00', '250.00', [w1, w2].sort()],
      ['Build', '0.5', '120.00', '60.00', [b1]],
    ]);
    const drafted = (await outboxEvents(db, who.agencyId, 'billing.invoice.drafted.v1')).map((e) => e.payload as InvoiceTimePayload);
    expect(drafted).toHaveLength(1);
    expect(drafted[0]).toMatchObject({ invoiceId: invoice.id, projectId: p.projectId, clientId: p.clientId, number: null });
    expect(drafted[0]!.timeEntries.find((t) => t.timeEntryId === b1)).toEqual({ timeEntryId: b1, version: 1, roundedMinutes: 30, hourlyRate: '120.00', amount: '60.00' });
    expect(drafted[0]!.timeEntries.map((t) => t.timeEntryId).sort()).toEqual([w1, w2, b1].sort());

    // What is left: the entries outside the range, by entry; then nothing.
    const rest = await call('POST', '/api/invoices/from-time', { projectId: p.projectId, groupBy: 'entry' });
    expect(rest.status).toBe(201);
    expect(entryIdsOf(rest.body).sort()).toEqual([early, late].sort());
    const none = await call('POST', '/api/invoices/from-time', { projectId: p.projectId });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('invoice.no_unbilled_time');

    // Deleting a draft lets its time go: it can be drafted again.
    expect((await call('DELETE', `/api/invoices/${rest.body.id}`)).status).toBe(204);
    const again = await call('POST', '/api/invoices/from-time', { projectId: p.projectId, groupBy: 'day' });
    expect(again.status).toBe(201);
    expect(again.body.lineItems.map((l: { description: string }) => l.description)).toEqual(['2026-10-31', '2026-11-05']);
  });

  it('groups by member with their names, splits a mixed-rate group per rate, and keeps every line exact', async () => {
    const who = newPrincipal('owner');
    const [marta, ben] = [randomUUID(), randomUUID()];
    const p = await timeProject(h, who, { members: { [marta]: 'Marta Kowalski', [ben]: 'Ben Okafor' } });
    await p.log([
      { userId: marta, minutes: 60, hourlyRate: '100.00', amount: '100.00', date: '2026-11-02' },
      { userId: marta, minutes: 60, hourlyRate: '150.00', amount: '150.00', date: '2026-11-03' },
      { userId: ben, minutes: 20, hourlyRate: '100.00', amount: '33.33' },
      { userId: ben, minutes: 20, hourlyRate: '100.00', amount: '33.33' },
      { userId: ben, minutes: 20, hourlyRate: '100.00', amount: '33.33' },
    ]);
    const res = await api(who)('POST', '/api/invoices/from-time', { projectId: p.projectId, groupBy: 'user' });
    expect(res.status).toBe(201);
    expect(res.body.lineItems.map((l: Invoice['lineItems'][number]) => [l.description, l.quantity, l.unitPrice, l.amount])).toEqual([
      ['Marta Kowalski (at 100.00/h)', '1', '100.00', '100.00'],
      ['Marta Kowalski (at 150.00/h)', '1', '150.00', '150.00'],
      ['Ben Okafor (1 h at 100.00/h, each entry rounded)', '1', '99.99', '99.99'],
    ]);
    expect(res.body.subtotal).toBe('349.99');
  });

  it('never puts an entry on two drafts: concurrent calls for one project take what is left or get 409', async () => {
    const who = newPrincipal('owner');
    const call = api(who);
    for (let round = 0; round < 3; round++) {
      const p = await timeProject(h, who);
      const ids = await p.log(Array.from({ length: 40 }, (_, i) => ({ minutes: 15 + (i % 4) * 15, amount: ((15 + (i % 4) * 15) * 100 / 60).toFixed(2), date: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}` })));
      const results = await Promise.all([
        call('POST', '/api/invoices/from-time', { projectId: p.projectId, groupBy: 'entry' }),
        call('POST', '/api/invoices/from-time', { projectId: p.projectId, groupBy: 'day', from: '2026-11-10' }),
        call('POST', '/api/invoices/from-time', { projectId: p.projectId }),
      ]);
      const drafted = results.filter((r) => r.status === 201).map((r) => entryIdsOf(r.body));
      for (const r of results) if (r.status !== 201) expect([r.status, r.body.code]).toEqual([409, 'invoice.no_unbilled_time']);
      const all = drafted.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual([...ids].sort());
      const live = await tenantTx(db, who.agencyId, (tx) => tx.select().from(invoiceLineTimeEntries));
      expect(new Set(live.filter((r) => r.releasedAt === null).map((r) => r.timeEntryId)).size).toBe(live.filter((r) => r.releasedAt === null).length);
    }
  });

  it('records the reservations projects refused, and issuing is refused until the draft is fixed', async () => {
    const who = newPrincipal('owner');
    const p = await timeProject(h, who);
    const [kept, edited] = await p.log([{ minutes: 60 }, { minutes: 60 }]);
    const invoice = (await api(who)('POST', '/api/invoices/from-time', { projectId: p.projectId, groupBy: 'entry' })).body as Invoice;
    const fields = { projectId: p.projectId, clientId: p.clientId };
    await deliverAll(h, [
      envelope(who.agencyId, 'projects.time_entry.billing_changed.v1', {
        clientId: p.clientId,
        invoiceId: invoice.id,
        entries: [entryPayload(kept!, 2, { ...fields, billingStatus: 'reserved', invoiceId: invoice.id })],
        refused: [{ timeEntryId: edited, invoicedVersion: 1, currentVersion: 2, reason: 'changed' }],
      }),
    ]);
    const rows = await tenantTx(db, who.agencyId, (tx) => tx.select().from(invoiceLineTimeEntries).where(eq(invoiceLineTimeEntries.invoiceId, invoice.id)));
    expect(Object.fromEntries(rows.map((r) => [r.timeEntryId, r.refusedReason]))).toEqual({ [kept!]: null, [edited!]: 'changed' });
    await expect(tenantTx(db, who.agencyId, (tx) => issueInvoice(tx, who, invoice.id))).rejects.toMatchObject({ code: 'invoice.time_changed' });
    // The draft shows which line is stale.
    const shown = (await api(who)('GET', `/api/invoices/${invoice.id}`)).body as Invoice;
    expect(Object.fromEntries(shown.lineItems.map((l) => [l.timeEntryIds[0], l.staleTimeEntries]))).toEqual({ [kept!]: [], [edited!]: [{ timeEntryId: edited, reason: 'changed' }] });
    // A refusal for another version of the entry, or another invoice, marks nothing.
    await deliverAll(h, [
      envelope(who.agencyId, 'projects.time_entry.billing_changed.v1', { clientId: p.clientId, invoiceId: randomUUID(), entries: [], refused: [{ timeEntryId: kept, invoicedVersion: 1, currentVersion: 2, reason: 'on_another_invoice' }] }),
      envelope(who.agencyId, 'projects.time_entry.billing_changed.v1', { clientId: p.clientId, invoiceId: invoice.id, entries: [], refused: [{ timeEntryId: kept, invoicedVersion: 5, currentVersion: 6, reason: 'changed' }] }),
    ]);
    const after = await tenantTx(db, who.agencyId, (tx) => tx.select().from(invoiceLineTimeEntries).where(eq(invoiceLineTimeEntries.timeEntryId, kept!)));
    expect(after.map((r) => r.refusedReason)).toEqual([null]);
  });

  it('refuses more lines than an invoice holds, naming groupBy', async () => {
    const who = newPrincipal('owner');
    const p = await timeProject(h, who);
    await p.log(Array.from({ length: 1001 }, () => ({ minutes: 15, amount: '25.00' })));
    const res = await api(who)('POST', '/api/invoices/from-time', { projectId: p.projectId, groupBy: 'entry' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invoice.too_many_lines', errors: [{ path: 'groupBy' }] });
    const byTask = await api(who)('POST', '/api/invoices/from-time', { projectId: p.projectId });
    expect(byTask.status).toBe(201);
    expect(byTask.body.lineItems).toEqual([expect.objectContaining({ quantity: '250.25', amount: '25025.00' })]);
  });

  it('is for managers and above; another agency’s project is 404; bad input names the field', async () => {
    const who = newPrincipal('owner');
    const p = await timeProject(h, who);
    await p.log([{ minutes: 60 }]);
    const member = await api(newPrincipal('member', who.agencyId))('POST', '/api/invoices/from-time', { projectId: p.projectId });
    expect([member.status, member.body.code]).toEqual([403, 'invoice.forbidden']);
    const other = await api(newPrincipal('owner'))('POST', '/api/invoices/from-time', { projectId: p.projectId });
    expect([other.status, other.body.code]).toEqual([404, 'project.not_found']);
    const unknown = await api(who)('POST', '/api/invoices/from-time', { projectId: randomUUID() });
    expect(unknown.status).toBe(404);
    const paths = async (body: unknown) => {
      const res = await api(who)('POST', '/api/invoices/from-time', body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      return res.body.errors.map((e: { path: string }) => e.path);
    };
    expect(await paths({})).toEqual(['projectId']);
    expect(await paths({ projectId: 'abc' })).toEqual(['projectId']);
    expect(await paths({ projectId: p.projectId, groupBy: 'week' })).toEqual(['groupBy']);
    expect(await paths({ projectId: p.projectId, from: '2026-11-10', to: '2026-11-01' })).toEqual(['to']);
    expect(await paths({ projectId: p.projectId, from: '2026-13-01' })).toEqual(['from']);
    expect(await paths({ projectId: p.projectId, extra: 1 })).toEqual(['(body)']);
    // Nothing was drafted by any of them.
    expect(await outboxEvents(db, who.agencyId, 'billing.invoice.drafted.v1')).toEqual([]);
  });
});

describe('malformed input never causes a 5xx', () => {
  it('answers 150 malformed from-time bodies and odd unbilled queries with 4xx problem+json, drafting nothing', async () => {
    const who = newPrincipal('owner');
    const call = api(who);
    const p = await timeProject(h, who);
    await p.log([{ minutes: 60 }]);
    const statuses = await sendMalformedBodies(call, [['POST', '/api/invoices/from-time']], ['projectId', 'from', 'to', 'groupBy'], 150, 23);
    expect(statuses.get(400)).toBeGreaterThan(30);
    for (const path of ['?clientId=%00', '?clientId=1&clientId=2', `?clientId=${'x'.repeat(5000)}`]) {
      const res = await call('GET', `/api/invoices/unbilled${path}`);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    expect(await outboxEvents(db, who.agencyId, 'billing.invoice.drafted.v1')).toEqual([]);
  });
});
