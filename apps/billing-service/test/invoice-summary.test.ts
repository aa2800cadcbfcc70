import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvoiceStatus, InvoiceSummary } from '@atelier/contracts';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startBilling, type BillingHarness } from './billing-harness.js';

let h: BillingHarness;
let sql: postgres.Sql;
const owner = newPrincipal('owner');
const other = newPrincipal('owner');
const acme = randomUUID();
const globex = randomUUID();
const project = randomUUID();

interface Seed {
  status: InvoiceStatus;
  currency: string;
  total: string;
  paid?: string;
  client?: string;
  number?: string | null;
  issueDate?: string | null;
  paidAt?: string | null;
  projectId?: string | null;
  agencyId?: string;
}

let seq = 0;
async function seed(rows: Seed[]): Promise<void> {
  for (const r of rows) {
    const paid = r.paid ?? (r.status === 'paid' ? r.total : '0');
    // An issued invoice has its number (and year, sequence) and an issue day; a draft has none.
    const issued = r.status !== 'draft';
    seq += 1;
    await sql`
      insert into billing.invoices (agency_id, client_id, project_id, number, number_year, number_seq, status, issue_date, currency, subtotal, total, amount_paid, amount_due, paid_at, voided_at)
      values (${r.agencyId ?? owner.agencyId}, ${r.client ?? acme}, ${r.projectId ?? null}, ${issued ? (r.number ?? `X-${seq}`) : null}, ${issued ? 2026 : null}, ${issued ? seq : null},
              ${r.status}, ${issued ? (r.issueDate ?? '2026-11-01') : null}, ${r.currency},
              ${r.total}, ${r.total}, ${paid}, ${(Number(r.total) - Number(paid)).toFixed(r.currency === 'JPY' ? 0 : 2)}, ${r.paidAt ?? null},
              ${r.status === 'void' ? '2026-11-15T10:00:00Z' : null})`;
  }
}

beforeAll(async () => {
  h = await startBilling();
  sql = postgres(h.db.ownerUrl, { max: 2, onnotice: () => {} });
  for (const [id, name] of [
    [acme, 'Acme Corp'],
    [globex, 'Globex'],
  ] as const) {
    await sql`insert into billing.clients (id, agency_id, name, currency, is_active, version, updated_at) values (${id}, ${owner.agencyId}, ${name}, 'EUR', true, 1, now())`;
  }
  await seed([
    { status: 'draft', currency: 'EUR', total: '100.00' },
    { status: 'sent', currency: 'EUR', total: '0.10', number: 'INV-2026-0001', issueDate: '2026-11-02', projectId: project },
    { status: 'sent', currency: 'EUR', total: '0.20', number: 'INV-2026-0002', issueDate: '2026-11-20' },
    { status: 'sent', currency: 'JPY', total: '500', number: 'INV-2026-0003', issueDate: '2026-11-21', client: globex },
    { status: 'overdue', currency: 'EUR', total: '1190.00', paid: '190.00', number: 'INV-2026-0004', issueDate: '2026-10-01' },
    { status: 'paid', currency: 'EUR', total: '165.01', number: 'INV-2026-0005', issueDate: '2026-10-15', paidAt: '2026-12-01T08:00:00Z' },
    { status: 'paid', currency: 'EUR', total: '50.00', number: 'INV-2026-0006', issueDate: '2026-10-10', paidAt: '2026-11-30T22:59:59Z' },
    { status: 'void', currency: 'EUR', total: '9.99', number: 'INV-2026-0007', issueDate: '2026-10-11' },
    // Another agency's invoice: never counted.
    { status: 'sent', currency: 'EUR', total: '1000.00', agencyId: other.agencyId, client: randomUUID() },
  ]);
});
afterAll(async () => {
  await sql?.end();
  await stopTestService(h.service);
  await h.db.drop();
});

const get = (path: string, who = owner) => serviceClient(h.url, who)('GET', path);
const status = (s: InvoiceSummary, name: InvoiceStatus) => s.statuses.find((x) => x.status === name)!;

describe('GET /api/invoices/summary', () => {
  it('counts and sums every status per currency, exactly, in the currency scale, and only the agency’s own', async () => {
    const res = await get('/api/invoices/summary');
    expect(res.status).toBe(200);
    const s = res.body as InvoiceSummary;
    expect(s.statuses.map((x) => x.status)).toEqual(['draft', 'sent', 'viewed', 'partially_paid', 'paid', 'overdue', 'void']);
    expect(status(s, 'sent')).toEqual({
      status: 'sent',
      count: 3,
      sums: [
        { currency: 'EUR', total: '0.30', amountDue: '0.30', amountPaid: '0.00' },
        { currency: 'JPY', total: '500', amountDue: '500', amountPaid: '0' },
      ],
    });
    expect(status(s, 'overdue').sums).toEqual([{ currency: 'EUR', total: '1190.00', amountDue: '1000.00', amountPaid: '190.00' }]);
    expect(status(s, 'viewed')).toEqual({ status: 'viewed', count: 0, sums: [] });
    expect(s.paid).toBeNull();
    const otherAgency = (await get('/api/invoices/summary', other)).body as InvoiceSummary;
    expect(status(otherAgency, 'sent').count).toBe(1);
    expect(otherAgency.statuses.reduce((n, x) => n + x.count, 0)).toBe(1);
  });

  it('adds what was paid in full since an instant', async () => {
    const s = (await get(`/api/invoices/summary?paidSince=${encodeURIComponent('2026-11-30T23:00:00.000Z')}`)).body as InvoiceSummary;
    expect(s.paid).toEqual({ count: 1, sums: [{ currency: 'EUR', total: '165.01', amountDue: '0.00', amountPaid: '165.01' }] });
  });

  it('counts, for every filter, exactly what the list lists in each tab', async () => {
    const filters = ['', `clientId=${globex}`, `projectId=${project}`, 'from=2026-11-01', 'from=2026-10-01&to=2026-10-31', 'search=acme', 'search=0004', 'search=nobody'];
    for (const f of filters) {
      const s = (await get(`/api/invoices/summary?${f}`)).body as InvoiceSummary;
      for (const x of s.statuses) {
        const list = await get(`/api/invoices?limit=1&status=${x.status}${f ? `&${f}` : ''}`);
        expect(list.status).toBe(200);
        expect({ filter: f, status: x.status, count: x.count }).toEqual({ filter: f, status: x.status, count: list.body.total });
      }
    }
  });

  it('refuses members, and names the bad field of a bad query', async () => {
    expect((await get('/api/invoices/summary', { ...owner, role: 'member' })).status).toBe(403);
    const bad = await get('/api/invoices/summary?from=2026-12-01&to=2026-11-01&paidSince=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.paidSince', 'query.to']);
    expect((await get('/api/invoices/summary?clientId=not-a-uuid')).status).toBe(400);
  });
});
