import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService, type TestPrincipal } from '@atelier/platform/testing';
import { invoiceLineTimeEntries, invoices, projects } from '../src/db/schema.js';
import { issueInvoice } from '../src/invoices/invoice-issue.js';
import { insertDraft } from '../src/invoices/invoice-service.js';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { outboxEvents, seedAgency, seedClient, timeEntry } from './invoice-helpers.js';

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

const as = (who: TestPrincipal) => serviceClient(h.url, who);
const line = (quantity: string, unitPrice: string, extra: Record<string, unknown> = {}) => ({ description: 'Work', quantity, unitPrice, ...extra });
const issue = (who: TestPrincipal, id: string) => tenantTx(db, who.agencyId, (tx) => issueInvoice(tx, who, id));

describe('invoice totals (golden cases through the API)', () => {
  it('1,000.00 at 19 % is 1,190.00; 138.66 at 19 % is tax 26.35, total 165.01', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId);
    const a = await api('POST', '/api/invoices', { clientId, taxRate: '19', lineItems: [line('1', '1000.00')] });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ currency: 'EUR', subtotal: '1000.00', taxAmount: '190.00', total: '1190.00', amountDue: '1190.00', taxRate: '19', taxes: [{ name: null, rate: '19' }] });
    const b = await api('POST', '/api/invoices', { clientId, taxRate: '19', lineItems: [line('1', '138.66')] });
    expect(b.body).toMatchObject({ subtotal: '138.66', taxAmount: '26.35', total: '165.01', taxLines: [{ name: null, rate: '19', base: '138.66', amount: '26.35' }] });
  });

  it('JPY 500 without tax is "500"; GST 5 % and QST 9.975 % apply to the same base', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const yen = await seedClient(db, owner.agencyId, { currency: 'JPY' });
    const jpy = await api('POST', '/api/invoices', { clientId: yen, lineItems: [line('1', '500')] });
    expect(jpy.body).toMatchObject({ currency: 'JPY', subtotal: '500', taxAmount: '0', total: '500', amountDue: '500' });
    expect((await api('POST', '/api/invoices', { clientId: yen, lineItems: [line('1', '500.5')] })).body).toMatchObject({ status: 400, errors: [{ path: 'lineItems.0.unitPrice' }] });

    const cad = await seedClient(db, owner.agencyId, { currency: 'CAD' });
    const qc = await api('POST', '/api/invoices', { clientId: cad, taxes: [{ name: 'GST', rate: '5' }, { name: 'QST', rate: '9.975' }], lineItems: [line('2', '50.00')] });
    expect(qc.status).toBe(201);
    expect(qc.body).toMatchObject({
      currency: 'CAD',
      taxRate: null,
      taxes: [{ name: 'GST', rate: '5' }, { name: 'QST', rate: '9.975' }],
      taxLines: [
        { name: 'GST', rate: '5', base: '100.00', amount: '5.00' },
        { name: 'QST', rate: '9.975', base: '100.00', amount: '9.98' },
      ],
      taxAmount: '14.98',
      total: '114.98',
    });
  });

  it('rounds per line when the settings say so, frozen on the draft when it is made', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId);
    // Three lines of 0.10 at 5 %: per document 0.015 → 0.02; per line 0.005 → 0.01 each → 0.03.
    const lines = [line('1', '0.10'), line('1', '0.10'), line('1', '0.10')];
    expect((await api('POST', '/api/invoices', { clientId, taxRate: '5', lineItems: lines })).body.taxAmount).toBe('0.02');
    expect((await api('PATCH', '/api/settings/invoicing', { rounding: 'line' })).status).toBe(200);
    const perLine = await api('POST', '/api/invoices', { clientId, taxRate: '5', lineItems: lines });
    expect(perLine.body.taxAmount).toBe('0.03');
    await api('PATCH', '/api/settings/invoicing', { rounding: 'document' });
    expect((await api('PATCH', `/api/invoices/${perLine.body.id}`, { notes: 'x' })).body.taxAmount).toBe('0.03');
  });
});

describe('invoices API', () => {
  it('creates a draft in the client currency with the settings defaults, reads, lists, patches and deletes it, with versioned events', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId, { currency: 'GBP', name: 'Blue Ltd' });
    await api('PATCH', '/api/settings/invoicing', { defaultTaxRate: '20', defaultTerms: 'Net 30', defaultNotes: 'Thanks' });
    const created = await api('POST', '/api/invoices', { clientId, lineItems: [line('1.5', '100.00'), line('2', '10.00', { taxRate: '0' })] });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/invoices/${created.body.id}`);
    expect(created.body).toMatchObject({
      number: null,
      clientName: 'Blue Ltd',
      status: 'draft',
      currency: 'GBP',
      taxRate: '20',
      terms: 'Net 30',
      notes: 'Thanks',
      publicUrl: null,
      subtotal: '170.00',
      taxAmount: '30.00',
      total: '200.00',
      version: 1,
      lineItems: [
        { quantity: '1.5', unitPrice: '100.00', amount: '150.00', taxRate: null, sortOrder: 0, timeEntryIds: [] },
        { quantity: '2', unitPrice: '10.00', amount: '20.00', taxRate: '0', sortOrder: 1, timeEntryIds: [] },
      ],
    });
    const id = created.body.id as string;
    expect((await api('GET', `/api/invoices/${id}`)).body).toEqual(created.body);

    const [first, second] = created.body.lineItems as { id: string }[];
    const patched = await api('PATCH', `/api/invoices/${id}`, { lineItems: [{ id: second!.id, description: 'Moved up', quantity: '3', unitPrice: '10.00', taxRate: '0' }, line('1', '5.00')], discountType: 'percent', discountValue: '10' });
    expect(patched.status).toBe(200);
    expect(patched.body.lineItems.map((l: { id: string; description: string }) => [l.id === second!.id, l.description])).toEqual([
      [true, 'Moved up'],
      [false, 'Work'],
    ]);
    expect(patched.body.lineItems.some((l: { id: string }) => l.id === first!.id)).toBe(false);
    expect(patched.body).toMatchObject({ subtotal: '35.00', discountType: 'percent', discountValue: '10', discountAmount: '3.50', version: 2 });

    const list = await api('GET', '/api/invoices');
    expect(list.body).toMatchObject({ total: 1, nextCursor: null, data: [{ id, version: 2 }] });
    expect((await api('DELETE', `/api/invoices/${id}`)).status).toBe(204);
    expect((await api('GET', `/api/invoices/${id}`)).status).toBe(404);
    const events = await outboxEvents(db, owner.agencyId);
    expect(events.map((e) => [e.name, (e.payload as { version: number }).version])).toEqual([
      ['billing.invoice.drafted.v1', 1],
      ['billing.invoice.updated.v1', 2],
      ['billing.invoice.deleted.v1', 3],
    ]);
    expect(events.every((e) => e.actorId === owner.userId)).toBe(true);
  });

  it('refuses a client unknown to the replica, deleted or of another agency with 400 on clientId; a line id of another invoice with 400', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    for (const clientId of [randomUUID(), await seedClient(db, owner.agencyId, { deleted: true }), await seedClient(db, randomUUID())]) {
      const res = await api('POST', '/api/invoices', { clientId, lineItems: [line('1', '1.00')] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invoice.client_unknown', errors: [{ path: 'clientId' }] });
    }
    const clientId = await seedClient(db, owner.agencyId);
    const a = (await api('POST', '/api/invoices', { clientId, lineItems: [line('1', '1.00')] })).body;
    const b = (await api('POST', '/api/invoices', { clientId, lineItems: [line('1', '1.00')] })).body;
    const res = await api('PATCH', `/api/invoices/${b.id}`, { lineItems: [{ ...line('1', '1.00'), id: a.lineItems[0].id }] });
    expect(res.body).toMatchObject({ status: 400, code: 'invoice.unknown_line', errors: [{ path: 'lineItems.0.id' }] });
    // A project of another client or a deleted one (as the replica knows it) is refused; one it does not know yet is taken.
    const otherClient = await seedClient(db, owner.agencyId);
    const [foreignProject, deletedProject] = [randomUUID(), randomUUID()];
    await tenantTx(db, owner.agencyId, (tx) =>
      tx.insert(projects).values([
        { id: foreignProject, agencyId: owner.agencyId, clientId: otherClient, name: 'P', currency: 'EUR', version: 1, updatedAt: new Date() },
        { id: deletedProject, agencyId: owner.agencyId, clientId, name: 'P', currency: 'EUR', version: 2, updatedAt: new Date(), deletedAt: new Date() },
      ]),
    );
    for (const projectId of [foreignProject, deletedProject]) {
      expect((await api('POST', '/api/invoices', { clientId, projectId, lineItems: [] })).body).toMatchObject({ status: 400, code: 'invoice.project_mismatch', errors: [{ path: 'projectId' }] });
    }
    expect((await api('PATCH', `/api/invoices/${a.id}`, { projectId: foreignProject })).body).toMatchObject({ code: 'invoice.project_mismatch' });
    expect((await api('POST', '/api/invoices', { clientId, projectId: randomUUID(), lineItems: [] })).status).toBe(201);
    expect((await api('POST', '/api/invoices', { clientId, lineItems: [line('1', '1.00')], discountType: 'amount', discountValue: '2.00' })).body).toMatchObject({ status: 400, errors: [{ path: 'discountValue' }] });
    expect((await api('POST', '/api/invoices', { clientId, lineItems: [line('9999999999', '9999999999999')] })).status).toBe(400);
  });

  it('removing a line releases its time: the updated event no longer lists it and another draft may take it; deleting releases all', async () => {
    const owner = newPrincipal('manager');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId);
    const [e1, e2, e3] = [timeEntry(), timeEntry({ roundedMinutes: 90, amount: '150.00' }), timeEntry()];
    const row = await tenantTx(db, owner.agencyId, (tx) =>
      insertDraft(tx, owner, {
        clientId,
        projectId: null,
        currency: 'EUR',
        lines: [
          { description: 'Design', quantity: '2.5', unitPrice: '100.00', taxRate: null, timeEntries: [e1!, e2!] },
          { description: 'Build', quantity: '1', unitPrice: '100.00', taxRate: null, timeEntries: [e3!] },
        ],
      }),
    );
    const drafted = await outboxEvents(db, owner.agencyId, 'billing.invoice.drafted.v1');
    expect(drafted[0]!.payload).toMatchObject({ invoiceId: row.id, number: null, version: 1 });
    const draftedEntries = (drafted[0]!.payload as { timeEntries: { timeEntryId: string }[] }).timeEntries;
    expect([...draftedEntries].sort((a, b) => a.timeEntryId.localeCompare(b.timeEntryId))).toEqual([e1!, e2!, e3!].sort((a, b) => a.timeEntryId.localeCompare(b.timeEntryId)));
    const dto = (await api('GET', `/api/invoices/${row.id}`)).body;
    expect(dto.lineItems.map((l: { timeEntryIds: string[] }) => l.timeEntryIds.sort())).toEqual([[e1!.timeEntryId, e2!.timeEntryId].sort(), [e3!.timeEntryId]]);

    // Another draft cannot take an entry a live draft holds.
    await expect(
      tenantTx(db, owner.agencyId, (tx) => insertDraft(tx, owner, { clientId, projectId: null, currency: 'EUR', lines: [{ description: 'x', quantity: '1', unitPrice: '1.00', taxRate: null, timeEntries: [e3!] }] })),
    ).rejects.toMatchObject({ code: 'invoice.time_entry_taken', status: 409 });

    const kept = dto.lineItems[0];
    const patched = await api('PATCH', `/api/invoices/${row.id}`, { lineItems: [{ id: kept.id, description: kept.description, quantity: kept.quantity, unitPrice: kept.unitPrice }] });
    expect(patched.body.lineItems).toHaveLength(1);
    const updated = await outboxEvents(db, owner.agencyId, 'billing.invoice.updated.v1');
    expect(updated.at(-1)!.payload).toMatchObject({ version: 2 });
    expect((updated.at(-1)!.payload as { timeEntries: { timeEntryId: string }[] }).timeEntries.map((e) => e.timeEntryId).sort()).toEqual([e1!.timeEntryId, e2!.timeEntryId].sort());
    const other = await tenantTx(db, owner.agencyId, (tx) =>
      insertDraft(tx, owner, { clientId, projectId: null, currency: 'EUR', lines: [{ description: 'x', quantity: '1', unitPrice: '1.00', taxRate: null, timeEntries: [e3!] }] }),
    );
    expect(other.status).toBe('draft');

    expect((await api('DELETE', `/api/invoices/${row.id}`)).status).toBe(204);
    const live = await tenantTx(db, owner.agencyId, (tx) => tx.select().from(invoiceLineTimeEntries).where(eq(invoiceLineTimeEntries.invoiceId, row.id)));
    expect(live).toEqual([]);
    expect((await outboxEvents(db, owner.agencyId, 'billing.invoice.deleted.v1')).at(-1)!.payload).toMatchObject({ invoiceId: row.id, version: 3 });
  });

  it('keeps client and currency while time is on the draft; taxes switch between one rate and named ones; a discount clears', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId);
    const other = await seedClient(db, owner.agencyId, { currency: 'USD' });
    const row = await tenantTx(db, owner.agencyId, (tx) =>
      insertDraft(tx, owner, { clientId, projectId: null, currency: 'EUR', lines: [{ description: 'x', quantity: '1', unitPrice: '100.00', taxRate: null, timeEntries: [timeEntry()] }] }),
    );
    expect((await api('PATCH', `/api/invoices/${row.id}`, { clientId: other })).body).toMatchObject({ status: 409, code: 'invoice.has_time', errors: [{ path: 'clientId' }] });
    expect((await api('PATCH', `/api/invoices/${row.id}`, { currency: 'USD' })).body).toMatchObject({ status: 409, code: 'invoice.has_time', errors: [{ path: 'currency' }] });
    expect((await api('PATCH', `/api/invoices/${row.id}`, { issueDate: '2026-05-02', dueDate: '2026-05-01' })).body).toMatchObject({ status: 400, errors: [{ path: 'dueDate' }] });
    const named = await api('PATCH', `/api/invoices/${row.id}`, { taxes: [{ name: 'GST', rate: '5' }, { name: 'QST', rate: '9.975' }], discountType: 'amount', discountValue: '10.00' });
    expect(named.body).toMatchObject({ taxRate: null, discountAmount: '10.00', taxAmount: '13.48', total: '103.48' });
    const single = await api('PATCH', `/api/invoices/${row.id}`, { taxRate: '19', discountValue: null });
    expect(single.body).toMatchObject({ taxRate: '19', taxes: [{ name: null, rate: '19' }], discountType: null, discountValue: null, discountAmount: '0.00', total: '119.00', version: 3 });
    // Without time, the currency may change, and the lines must fit it.
    const manual = (await api('POST', '/api/invoices', { clientId, lineItems: [line('1', '1.50')] })).body.id as string;
    expect((await api('PATCH', `/api/invoices/${manual}`, { currency: 'JPY' })).body).toMatchObject({ status: 400, errors: [{ path: 'lineItems.0.unitPrice' }] });
    expect((await api('PATCH', `/api/invoices/${manual}`, { currency: 'JPY', clientId: other, lineItems: [line('2', '150')] })).body).toMatchObject({ currency: 'JPY', clientId: other, total: '300' });
  });

  it('issues a draft: number, dates in the agency timezone, the public link shown on every read (only its hash stored), the issued event', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    await seedAgency(db, owner.agencyId, 'Pacific/Kiritimati');
    const clientId = await seedClient(db, owner.agencyId);
    const entry = timeEntry();
    const row = await tenantTx(db, owner.agencyId, (tx) =>
      insertDraft(tx, owner, { clientId, projectId: null, currency: 'EUR', taxRate: '19', lines: [{ description: 'x', quantity: '1', unitPrice: '1000.00', taxRate: null, timeEntries: [entry] }] }),
    );
    const { invoice, publicToken, publicUrl } = await issue(owner, row.id);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    expect(invoice).toMatchObject({ status: 'sent', number: `INV-${today.slice(0, 4)}-0001`, issueDate: today });
    expect(Buffer.from(publicToken, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(publicUrl).toBe(`http://localhost:3000/i/${publicToken}`);
    const [stored] = await tenantTx(db, owner.agencyId, (tx) => tx.select().from(invoices).where(eq(invoices.id, row.id)));
    expect(stored!.publicTokenHash!.equals(createHash('sha256').update(publicToken).digest())).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(publicToken);
    const due = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    const read = (await api('GET', `/api/invoices/${row.id}`)).body;
    expect(read).toMatchObject({ status: 'sent', publicUrl, dueDate: due, total: '1190.00', version: 2 });
    const [issued] = await outboxEvents(db, owner.agencyId, 'billing.invoice.issued.v1');
    expect(issued!.payload).toMatchObject({
      invoiceId: row.id,
      number: invoice.number,
      status: 'sent',
      total: '1190.00',
      amountDue: '1190.00',
      dueDate: due,
      version: 2,
      publicTokenDigest: createHash('sha256').update(publicToken).digest('hex'),
      timeEntries: [expect.objectContaining({ timeEntryId: entry.timeEntryId })],
    });
    expect((await api('GET', `/api/invoices/${row.id}/history`)).body.data.map((c: { status: string }) => c.status)).toEqual(['draft', 'sent']);

    const voided = await api('POST', `/api/invoices/${row.id}/void`);
    expect(voided.body).toMatchObject({ status: 'void', version: 3, publicUrl: null, lineItems: [{ timeEntryIds: [entry.timeEntryId] }] });
    expect((await outboxEvents(db, owner.agencyId, 'billing.invoice.voided.v1'))[0]!.payload).toMatchObject({ invoiceId: row.id, timeEntries: [expect.objectContaining({ timeEntryId: entry.timeEntryId })] });
    // Released: a new draft may take the entry again.
    await tenantTx(db, owner.agencyId, (tx) => insertDraft(tx, owner, { clientId, projectId: null, currency: 'EUR', lines: [{ description: 'x', quantity: '1', unitPrice: '1.00', taxRate: null, timeEntries: [entry] }] }));
  });

  it('refuses to issue while projects refused some of its time (invoice.time_changed)', async () => {
    const owner = newPrincipal('owner');
    const clientId = await seedClient(db, owner.agencyId);
    const entry = timeEntry();
    const row = await tenantTx(db, owner.agencyId, (tx) => insertDraft(tx, owner, { clientId, projectId: null, currency: 'EUR', lines: [{ description: 'x', quantity: '1', unitPrice: '1.00', taxRate: null, timeEntries: [entry] }] }));
    await tenantTx(db, owner.agencyId, (tx) => tx.update(invoiceLineTimeEntries).set({ refusedReason: 'edited after reservation' }).where(eq(invoiceLineTimeEntries.invoiceId, row.id)));
    await expect(issue(owner, row.id)).rejects.toMatchObject({ code: 'invoice.time_changed', status: 409 });
    const empty = await tenantTx(db, owner.agencyId, (tx) => insertDraft(tx, owner, { clientId, projectId: null, currency: 'EUR', lines: [] }));
    await expect(issue(owner, empty.id)).rejects.toMatchObject({ code: 'invoice.empty' });
  });

  it('transition matrix: PATCH, DELETE, void and issue in every status are allowed or 409', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId);
    const statuses = ['draft', 'sent', 'viewed', 'partially_paid', 'paid', 'overdue', 'void'] as const;
    const make = async (status: (typeof statuses)[number]) => {
      const id = (await api('POST', '/api/invoices', { clientId, lineItems: [line('1', '100.00')] })).body.id as string;
      if (status === 'draft') return id;
      await issue(owner, id);
      const paid = status === 'paid' ? '100.0000' : status === 'partially_paid' ? '40.0000' : '0';
      const due = status === 'paid' ? '0' : status === 'partially_paid' ? '60.0000' : '100.0000';
      await tenantTx(db, owner.agencyId, (tx) =>
        tx.update(invoices).set({ status, amountPaid: paid, amountDue: due, voidedAt: status === 'void' ? new Date() : null }).where(eq(invoices.id, id)),
      );
      return id;
    };
    const expected: Record<(typeof statuses)[number], { patch: number; del: number; void: number | string; issue: string | null }> = {
      draft: { patch: 200, del: 204, void: 'invoice.is_draft', issue: null },
      sent: { patch: 409, del: 409, void: 200, issue: 'invoice.not_draft' },
      viewed: { patch: 409, del: 409, void: 200, issue: 'invoice.not_draft' },
      overdue: { patch: 409, del: 409, void: 200, issue: 'invoice.not_draft' },
      partially_paid: { patch: 409, del: 409, void: 'invoice.has_payments', issue: 'invoice.not_draft' },
      paid: { patch: 409, del: 409, void: 'invoice.has_payments', issue: 'invoice.not_draft' },
      void: { patch: 409, del: 409, void: 'invoice.voided', issue: 'invoice.not_draft' },
    };
    for (const status of statuses) {
      const want = expected[status];
      const patch = await api('PATCH', `/api/invoices/${await make(status)}`, { notes: 'n' });
      expect([status, patch.status]).toEqual([status, want.patch]);
      if (want.patch === 409) expect(patch.body.code).toBe('invoice.not_draft');
      const del = await api('DELETE', `/api/invoices/${await make(status)}`);
      expect([status, del.status]).toEqual([status, want.del]);
      const voided = await api('POST', `/api/invoices/${await make(status)}/void`);
      if (typeof want.void === 'number') expect([status, voided.status]).toEqual([status, want.void]);
      else expect([status, voided.status, voided.body.code]).toEqual([status, 409, want.void]);
      const issuing = issue(owner, await make(status));
      if (want.issue === null) await expect(issuing).resolves.toMatchObject({ invoice: { status: 'sent' } });
      else await expect(issuing).rejects.toMatchObject({ code: want.issue, status: 409 });
    }
  });

  it('lists with filters, search by number or client name, sort and a cursor', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const acme = await seedClient(db, owner.agencyId, { name: 'Acme Widgets' });
    const blue = await seedClient(db, owner.agencyId, { name: 'Blue Ocean' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api('POST', '/api/invoices', { clientId: i < 3 ? acme : blue, lineItems: [line('1', `${10 + i}.00`)] })).body.id);
    const issued = await issue(owner, ids[0]!);
    expect((await api('GET', `/api/invoices?clientId=${blue}`)).body.total).toBe(2);
    expect((await api('GET', '/api/invoices?status=sent')).body.data.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect((await api('GET', '/api/invoices?search=ocean')).body.total).toBe(2);
    expect((await api('GET', `/api/invoices?search=${issued.invoice.number}`)).body.data.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    const today = issued.invoice.issueDate!;
    expect((await api('GET', `/api/invoices?from=${today}&to=${today}`)).body.total).toBe(1);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string; total: string }[]; nextCursor: string | null; total: number } } = await api('GET', `/api/invoices?sort=total&order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.total).toBe(5);
      seen.push(...page.body.data.map((i) => i.total));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['10.00', '11.00', '12.00', '13.00', '14.00']);
    expect((await api('GET', '/api/invoices?cursor=nonsense')).status).toBe(400);
    expect((await api('GET', '/api/invoices?status=lost')).body).toMatchObject({ status: 400, errors: [{ path: 'query.status' }] });
  });

  it('list totals kept in tallies agree with counting the invoices after every kind of change, and count only the agency\'s own', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientIds = [await seedClient(db, owner.agencyId), await seedClient(db, owner.agencyId), await seedClient(db, owner.agencyId)];
    const other = newPrincipal('owner');
    const otherClient = await seedClient(db, other.agencyId);
    await as(other)('POST', '/api/invoices', { clientId: otherClient, lineItems: [line('1', '5.00')] });
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push((await api('POST', '/api/invoices', { clientId: clientIds[i % 3], lineItems: [line('1', '100.00')] })).body.id);
    for (const id of ids.slice(0, 6)) await issue(owner, id);
    expect((await api('POST', `/api/invoices/${ids[0]}/void`)).status).toBe(200);
    expect((await api('DELETE', `/api/invoices/${ids[8]}`)).status).toBe(204);
    expect((await api('PATCH', `/api/invoices/${ids[7]}`, { clientId: clientIds[0] })).status).toBe(200);
    // One statement moving several invoices at once, as the overdue sweep does.
    await tenantTx(db, owner.agencyId, (tx) => tx.update(invoices).set({ status: 'overdue', overdueAt: new Date() }).where(inArray(invoices.id, ids.slice(1, 4))));
    const counted = await tenantTx(db, owner.agencyId, (tx) => tx.select({ clientId: invoices.clientId, status: invoices.status }).from(invoices));
    for (const status of [undefined, 'draft', 'sent', 'overdue', 'void', 'paid'] as const) {
      for (const clientId of [undefined, ...clientIds]) {
        const query = new URLSearchParams({ limit: '1', ...(status ? { status } : {}), ...(clientId ? { clientId } : {}) });
        const expected = counted.filter((r) => (!status || r.status === status) && (!clientId || r.clientId === clientId)).length;
        expect([status, clientId, (await api('GET', `/api/invoices?${query}`)).body.total]).toEqual([status, clientId, expected]);
      }
    }
    expect((await api('GET', '/api/invoices')).body.total).toBe(8);
    expect((await as(other)('GET', '/api/invoices')).body.total).toBe(1);
  });

  it('role matrix and cross-agency 404', async () => {
    const owner = newPrincipal('owner');
    const clientId = await seedClient(db, owner.agencyId);
    const id = (await as(owner)('POST', '/api/invoices', { clientId, lineItems: [line('1', '1.00')] })).body.id as string;
    for (const role of ['admin', 'manager'] as const) {
      const api = as(newPrincipal(role, owner.agencyId));
      expect((await api('GET', `/api/invoices/${id}`)).status).toBe(200);
      expect((await api('PATCH', `/api/invoices/${id}`, { notes: role })).status).toBe(200);
    }
    const member = as(newPrincipal('member', owner.agencyId));
    expect((await member('GET', '/api/invoices')).status).toBe(403);
    expect((await member('GET', `/api/invoices/${id}`)).status).toBe(403);
    expect((await member('POST', '/api/invoices', { clientId, lineItems: [] })).status).toBe(403);
    expect((await member('POST', `/api/invoices/${id}/void`)).status).toBe(403);
    const stranger = as(newPrincipal('owner'));
    for (const [method, path, body] of [
      ['GET', `/api/invoices/${id}`],
      ['PATCH', `/api/invoices/${id}`, { notes: 'x' }],
      ['DELETE', `/api/invoices/${id}`],
      ['POST', `/api/invoices/${id}/void`],
      ['GET', `/api/invoices/${id}/history`],
    ] as const) {
      expect([method, path, (await stranger(method, path, body)).status]).toEqual([method, path, 404]);
    }
    expect((await stranger('GET', '/api/invoices')).body.total).toBe(0);
  });
});

describe('Settings › Invoicing', () => {
  it('owners and admins read the defaults and change them; managers and members get 403; bad input names the field', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    expect((await api('GET', '/api/settings/invoicing')).body).toEqual({
      numberFormat: 'INV-{YYYY}-{SEQ:4}',
      defaultDueDays: 30,
      defaultTaxRate: null,
      defaultTerms: null,
      defaultNotes: null,
      rounding: 'document',
      reminderDays: [7, 14],
      fromName: null,
      replyTo: null,
      footer: null,
    });
    const admin = as(newPrincipal('admin', owner.agencyId));
    const saved = await admin('PATCH', '/api/settings/invoicing', { numberFormat: 'A-{YY}/{SEQ:3}', defaultDueDays: 14, defaultTaxRate: '19.5', reminderDays: [3] });
    expect(saved.body).toMatchObject({ numberFormat: 'A-{YY}/{SEQ:3}', defaultDueDays: 14, defaultTaxRate: '19.5', reminderDays: [3], rounding: 'document' });
    expect((await api('GET', '/api/settings/invoicing')).body).toEqual(saved.body);
    for (const role of ['manager', 'member'] as const) {
      const other = as(newPrincipal(role, owner.agencyId));
      expect((await other('GET', '/api/settings/invoicing')).status).toBe(403);
      expect((await other('PATCH', '/api/settings/invoicing', { defaultDueDays: 1 })).status).toBe(403);
    }
    expect((await api('PATCH', '/api/settings/invoicing', { numberFormat: 'INV' })).body).toMatchObject({ status: 400, errors: [{ path: 'numberFormat' }] });
    expect((await as(newPrincipal('owner'))('GET', '/api/settings/invoicing')).body.numberFormat).toBe('INV-{YYYY}-{SEQ:4}');

    const clientId = await seedClient(db, owner.agencyId);
    const id = (await api('POST', '/api/invoices', { clientId, issueDate: '2026-03-01', lineItems: [line('1', '1.00')] })).body.id as string;
    const { invoice } = await issue(owner, id);
    expect(invoice).toMatchObject({ number: 'A-26/001', dueDate: '2026-03-15' });
  });
});
