import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEFAULT_INVOICING_SETTINGS } from '@atelier/contracts';
import { tenantTx, type Db } from '@atelier/platform';
import { newPrincipal, stopTestService, type TestPrincipal } from '@atelier/platform/testing';
import { invoices } from '../src/db/schema.js';
import { issueDayOf, issueInvoice } from '../src/invoices/invoice-issue.js';
import { insertDraft } from '../src/invoices/invoice-service.js';
import { upsertInvoicingSettings } from '../src/invoicing-settings/invoicing-settings-repository.js';
import { formatInvoiceNumber } from '../src/numbering/invoice-number.js';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { seedAgency, seedClient } from './invoice-helpers.js';

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

class ForcedRollback extends Error {}

async function drafts(who: TestPrincipal, count: number, issueDate: string | null = null): Promise<string[]> {
  const clientId = await seedClient(db, who.agencyId);
  return tenantTx(db, who.agencyId, async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push((await insertDraft(tx, who, { clientId, projectId: null, currency: 'EUR', issueDate, lines: [{ description: 'x', quantity: '1', unitPrice: '10.00', taxRate: null, timeEntries: [] }] })).id);
    }
    return ids;
  });
}

const issuedNumbers = (agencyId: string) =>
  tenantTx(db, agencyId, async (tx) => (await tx.select({ seq: invoices.numberSeq, number: invoices.number, status: invoices.status }).from(invoices)).filter((r) => r.status !== 'draft'));

describe('invoice numbering', () => {
  it('50 concurrent issues × 20 rounds with 10 % forced rollbacks: 1..N per agency, no gap, no duplicate', async () => {
    const agencies = [newPrincipal('owner'), newPrincipal('owner')];
    const pending = new Map<string, string[]>();
    for (const who of agencies) pending.set(who.agencyId, await drafts(who, 500));
    const committedBy = new Map(agencies.map((w) => [w.agencyId, 0]));
    let committed = 0;
    let rolledBack = 0;
    for (let round = 0; round < 20; round++) {
      const batch = Array.from({ length: 50 }, (_, i) => {
        const who = agencies[i % 2]!;
        return { who, id: pending.get(who.agencyId)!.pop()! };
      });
      const results = await Promise.allSettled(
        batch.map(({ who, id }, i) =>
          tenantTx(db, who.agencyId, async (tx) => {
            const issued = await issueInvoice(tx, who, id);
            // Deterministic 10 %: the issue ran (the counter moved) and the transaction then fails.
            if ((round * 50 + i) % 10 === (round % 2 === 0 ? 3 : 4)) throw new ForcedRollback();
            return issued;
          }),
        ),
      );
      for (const [i, r] of results.entries()) {
        if (r.status === 'fulfilled') {
          committed++;
          committedBy.set(batch[i]!.who.agencyId, committedBy.get(batch[i]!.who.agencyId)! + 1);
        }
        else if (r.reason instanceof ForcedRollback) {
          rolledBack++;
          pending.get(batch[i]!.who.agencyId)!.unshift(batch[i]!.id);
        } else throw r.reason;
      }
    }
    expect(rolledBack).toBe(100);
    expect(committed).toBe(900);
    for (const who of agencies) {
      const rows = await issuedNumbers(who.agencyId);
      const seqs = rows.map((r) => r.seq!).sort((a, b) => a - b);
      const n = committedBy.get(who.agencyId)!;
      expect(n).toBe(450);
      expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(new Set(rows.map((r) => r.number)).size).toBe(n);
    }
  }, 120_000);

  it('the year is the agency\'s: a Berlin agency at 23:30 UTC on 31 December is in the next year, with its own sequence', async () => {
    expect(issueDayOf(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin')).toBe('2027-01-01');
    expect(issueDayOf(new Date('2026-12-31T22:59:59Z'), 'Europe/Berlin')).toBe('2026-12-31');
    expect(issueDayOf(new Date('2027-01-01T09:00:00Z'), 'America/Los_Angeles')).toBe('2027-01-01');
    expect(issueDayOf(new Date('2027-01-01T07:59:00Z'), 'America/Los_Angeles')).toBe('2026-12-31');

    const berlin = newPrincipal('owner');
    await seedAgency(db, berlin.agencyId, 'Europe/Berlin');
    const [late2026, a2027, b2027] = [...(await drafts(berlin, 1, '2026-12-31')), ...(await drafts(berlin, 2, issueDayOf(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin')))];
    const issue = (id: string) => tenantTx(db, berlin.agencyId, (tx) => issueInvoice(tx, berlin, id));
    expect((await issue(a2027!)).invoice.number).toBe('INV-2027-0001');
    expect((await issue(late2026!)).invoice.number).toBe('INV-2026-0001');
    expect((await issue(b2027!)).invoice.number).toBe('INV-2027-0002');
    // Another agency's counter is its own.
    const other = newPrincipal('owner');
    const [first] = await drafts(other, 1, '2027-01-01');
    expect((await tenantTx(db, other.agencyId, (tx) => issueInvoice(tx, other, first!))).invoice.number).toBe('INV-2027-0001');
    // Assigned once: issuing again is refused and the number stays.
    await expect(issue(a2027!)).rejects.toMatchObject({ code: 'invoice.not_draft' });
    const [row] = await tenantTx(db, berlin.agencyId, (tx) => tx.select().from(invoices).where(eq(invoices.id, a2027!)));
    expect(row!.number).toBe('INV-2027-0001');
  });

  it('two issues of one draft racing: one wins, the other is invoice.not_draft, and the counter moved once', async () => {
    const who = newPrincipal('owner');
    const ids = await drafts(who, 10, '2026-06-01');
    for (const id of ids) {
      const results = await Promise.allSettled([1, 2].map(() => tenantTx(db, who.agencyId, (tx) => issueInvoice(tx, who, id))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'invoice.not_draft' } });
    }
    const seqs = (await issuedNumbers(who.agencyId)).map((r) => r.seq!).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('formats {YYYY}, {YY} and {SEQ:n}; a format without a year runs one sequence across years', async () => {
    expect(formatInvoiceNumber('INV-{YYYY}-{SEQ:4}', 2026, 7)).toBe('INV-2026-0007');
    expect(formatInvoiceNumber('{YY}/{SEQ}', 2031, 12345)).toBe('31/12345');
    expect(formatInvoiceNumber('R{SEQ:2}', 2026, 123)).toBe('R123');
    const who = newPrincipal('owner');
    await tenantTx(db, who.agencyId, async (tx) => {
      await upsertInvoicingSettings(tx, who.agencyId, { ...DEFAULT_INVOICING_SETTINGS, reminderDays: [7], numberFormat: 'N{SEQ:3}', defaultTaxRate: null });
    });
    const [a] = await drafts(who, 1, '2026-12-31');
    const [b] = await drafts(who, 1, '2027-01-02');
    const issue = (id: string) => tenantTx(db, who.agencyId, (tx) => issueInvoice(tx, who, id));
    expect((await issue(a!)).invoice.number).toBe('N001');
    expect((await issue(b!)).invoice.number).toBe('N002');
  });
});
