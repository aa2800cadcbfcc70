import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, InvoicedTimeEntry, TimeEntriesChangedPayload } from '@atelier/contracts';
import { tenantTx, type Db } from '@atelier/platform';
import { publishEnvelopes, stopTestService, waitFor } from '@atelier/platform/testing';
import { inbox, timeEntries } from '../src/db/schema.js';
import { outboxEvents, startProjects, type ProjectsHarness } from './projects-harness.js';
import { timeAgency, type TimeAgency } from './time-helpers.js';

const QUEUE = 'projects.billing-lifecycle';
let h: ProjectsHarness;
let db: Db;
beforeAll(async () => {
  h = await startProjects();
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const rows = (agencyId: string, ids: string[]) =>
  tenantTx(db, agencyId, (tx) => tx.select().from(timeEntries).where(inArray(timeEntries.id, ids)).orderBy(timeEntries.id));

/** The line billing would put on an invoice for an entry as it is now (billing knows the version from the entry events). */
async function line(agencyId: string, id: string): Promise<InvoicedTimeEntry> {
  const [row] = await rows(agencyId, [id]);
  if (!row) throw new Error('no entry');
  return { timeEntryId: id, version: row.version, roundedMinutes: row.roundedMinutes, hourlyRate: row.hourlyRate === null ? null : Number(row.hourlyRate).toFixed(2), amount: Number(row.amount).toFixed(2) };
}

const envelope = (agencyId: string, name: string, payload: unknown): EventEnvelope => ({ id: randomUUID(), name, occurredAt: new Date().toISOString(), agencyId, actorId: null, payload, trace: {} });

async function deliver(...events: EventEnvelope[]) {
  await publishEnvelopes(h.service.ctx.bus, events);
  for (const event of events) {
    await waitFor(async () =>
      tenantTx(db, event.agencyId, async (tx) => (await tx.select().from(inbox).where(and(eq(inbox.consumer, QUEUE), eq(inbox.eventId, event.id)))).length === 1),
    );
  }
}

function invoice(a: TimeAgency) {
  const invoiceId = randomUUID();
  const base = { clientId: a.clientId, invoiceId, projectId: a.projectId, currency: 'EUR' };
  return {
    invoiceId,
    drafted: (version: number, lines: InvoicedTimeEntry[]) => envelope(a.owner.agencyId, 'billing.invoice.drafted.v1', { ...base, number: null, version, timeEntries: lines }),
    updated: (version: number, lines: InvoicedTimeEntry[]) => envelope(a.owner.agencyId, 'billing.invoice.updated.v1', { ...base, number: null, version, timeEntries: lines }),
    issued: (version: number, lines: InvoicedTimeEntry[], number = 'INV-2026-0007') =>
      envelope(a.owner.agencyId, 'billing.invoice.issued.v1', { ...base, number, version, timeEntries: lines, issuedAt: new Date().toISOString() }),
    voided: (version: number, lines: InvoicedTimeEntry[]) => envelope(a.owner.agencyId, 'billing.invoice.voided.v1', { ...base, number: 'INV-2026-0007', version, timeEntries: lines, voidedAt: new Date().toISOString() }),
    deleted: (version: number) => envelope(a.owner.agencyId, 'billing.invoice.deleted.v1', { clientId: a.clientId, invoiceId, version, deletedAt: new Date().toISOString() }),
  };
}

async function entries(a: TimeAgency, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await a.as(a.member)('POST', '/api/time-entries', { projectId: a.projectId, date: '2026-11-10', minutes: 60 + i * 15 })).body.id);
  return ids;
}

describe('time entry lifecycle from billing’s events', () => {
  it('drafted reserves (read-only, 409 naming the invoice), issued bills, voided unbills', async () => {
    const a = await timeAgency(h);
    const [e1, e2] = await entries(a, 2);
    const inv = invoice(a);
    await deliver(inv.drafted(1, [await line(a.owner.agencyId, e1!), await line(a.owner.agencyId, e2!)]));
    const api = a.as(a.member);
    expect((await api('GET', `/api/time-entries/${e1}`)).body).toMatchObject({ billingStatus: 'reserved', invoiceId: inv.invoiceId });
    const edit = await api('PATCH', `/api/time-entries/${e1}`, { minutes: 30 });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('time_entry.locked');
    expect(edit.body.detail).toContain(inv.invoiceId);
    expect((await api('DELETE', `/api/time-entries/${e2}`)).status).toBe(409);

    await deliver(inv.issued(2, [await line(a.owner.agencyId, e1!), await line(a.owner.agencyId, e2!)]));
    expect((await api('GET', `/api/time-entries/${e1}`)).body).toMatchObject({ billingStatus: 'billed', invoiceId: inv.invoiceId });
    const billedEdit = await api('PATCH', `/api/time-entries/${e2}`, { description: 'late' });
    expect(billedEdit.status).toBe(409);
    expect(billedEdit.body.detail).toContain('INV-2026-0007');
    expect((await api('GET', '/api/time-entries?billingStatus=billed')).body.total).toBe(2);

    await deliver(inv.voided(3, []));
    expect((await api('GET', `/api/time-entries/${e1}`)).body).toMatchObject({ billingStatus: 'unbilled', invoiceId: null });
    expect((await api('PATCH', `/api/time-entries/${e1}`, { minutes: 30 })).status).toBe(200);

    const changed = (await outboxEvents(db, a.owner.agencyId, 'projects.time_entry.billing_changed.v1')).map((e) => e.payload as TimeEntriesChangedPayload);
    expect(changed.map((p) => p.entries.map((s) => [s.entry.billingStatus, s.version]))).toEqual([
      [['reserved', 2], ['reserved', 2]],
      [['billed', 3], ['billed', 3]],
      [['unbilled', 4], ['unbilled', 4]],
    ]);
    expect(changed.every((p) => p.clientId === a.clientId && p.invoiceId === inv.invoiceId)).toBe(true);
  });

  it('an update releases the entries the draft dropped, a deleted draft releases the rest', async () => {
    const a = await timeAgency(h);
    const [e1, e2] = await entries(a, 2);
    const inv = invoice(a);
    const l1 = await line(a.owner.agencyId, e1!);
    const l2 = await line(a.owner.agencyId, e2!);
    await deliver(inv.drafted(1, [l1, l2]));
    await deliver(inv.updated(2, [l1]));
    expect((await rows(a.owner.agencyId, [e1!, e2!])).map((r) => r.billingStatus).sort()).toEqual(['reserved', 'unbilled']);
    await deliver(inv.deleted(3));
    expect((await rows(a.owner.agencyId, [e1!, e2!])).map((r) => [r.billingStatus, r.invoiceId])).toEqual([
      ['unbilled', null],
      ['unbilled', null],
    ]);
  });

  it('ignores an older event of the invoice arriving late: a dropped entry is not reserved again', async () => {
    const a = await timeAgency(h);
    const [e1, e2] = await entries(a, 2);
    const inv = invoice(a);
    const l1 = await line(a.owner.agencyId, e1!);
    const l2 = await line(a.owner.agencyId, e2!);
    await deliver(inv.updated(2, [l1]));
    await deliver(inv.drafted(1, [l1, l2]));
    const byId = new Map((await rows(a.owner.agencyId, [e1!, e2!])).map((r) => [r.id, r.billingStatus]));
    expect([byId.get(e1!), byId.get(e2!)]).toEqual(['reserved', 'unbilled']);
  });

  it('never puts an entry on two live invoices', async () => {
    const a = await timeAgency(h);
    const [e1] = await entries(a, 1);
    const first = invoice(a);
    const second = invoice(a);
    const l1 = await line(a.owner.agencyId, e1!);
    await deliver(first.drafted(1, [l1]));
    await deliver(second.drafted(1, [l1]));
    const [row] = await rows(a.owner.agencyId, [e1!]);
    expect(row).toMatchObject({ billingStatus: 'reserved', invoiceId: first.invoiceId });
    const refused = (await outboxEvents(db, a.owner.agencyId, 'projects.time_entry.billing_changed.v1')).map((e) => e.payload as TimeEntriesChangedPayload).find((p) => p.invoiceId === second.invoiceId);
    expect(refused?.refused).toEqual([{ timeEntryId: e1, invoicedVersion: l1.version, currentVersion: row?.version, reason: 'on_another_invoice' }]);
    await deliver(second.issued(2, [l1]));
    expect((await rows(a.owner.agencyId, [e1!]))[0]).toMatchObject({ billingStatus: 'reserved', invoiceId: first.invoiceId });
  });

  it('an edit that slipped in before the reservation is detected: the entry stays unbilled at its new value and is reported', async () => {
    const a = await timeAgency(h);
    const [e1] = await entries(a, 1);
    const inv = invoice(a);
    const seen = await line(a.owner.agencyId, e1!);
    expect((await a.as(a.member)('PATCH', `/api/time-entries/${e1}`, { minutes: 240 })).status).toBe(200);
    await deliver(inv.drafted(1, [seen]));
    const [row] = await rows(a.owner.agencyId, [e1!]);
    expect(row).toMatchObject({ billingStatus: 'unbilled', invoiceId: null, minutes: 240 });
    const [changed] = (await outboxEvents(db, a.owner.agencyId, 'projects.time_entry.billing_changed.v1')).map((e) => e.payload as TimeEntriesChangedPayload);
    expect(changed?.refused).toEqual([{ timeEntryId: e1, invoicedVersion: seen.version, currentVersion: seen.version + 1, reason: 'changed' }]);
    // An issue at the old value does not bill it either.
    await deliver(inv.issued(2, [seen]));
    expect((await rows(a.owner.agencyId, [e1!]))[0]?.billingStatus).toBe('unbilled');
  });

  it('raced edits and drafts: every entry ends either reserved at exactly the values billing saw, or unbilled and reported', async () => {
    const a = await timeAgency(h);
    const ids = await entries(a, 12);
    const lines = await Promise.all(ids.map((id) => line(a.owner.agencyId, id)));
    const inv = invoice(a);
    const api = a.as(a.member);
    const drafted = inv.drafted(1, lines);
    const [edits] = await Promise.all([Promise.all(ids.map((id, i) => api('PATCH', `/api/time-entries/${id}`, { minutes: 300 + i }))), deliver(drafted)]);
    const after = await rows(a.owner.agencyId, ids);
    const [changed] = (await outboxEvents(db, a.owner.agencyId, 'projects.time_entry.billing_changed.v1')).map((e) => e.payload as TimeEntriesChangedPayload);
    const refused = new Set((changed?.refused ?? []).map((r) => r.timeEntryId));
    for (const [i, id] of ids.entries()) {
      const row = after.find((r) => r.id === id)!;
      const edit = edits[i]!;
      if (row.billingStatus === 'reserved') {
        // Reserved: the edit came after and was refused; the entry is what the line says.
        expect(edit.status, id).toBe(409);
        expect(row.roundedMinutes).toBe(lines[i]!.roundedMinutes);
        expect(Number(row.amount).toFixed(2)).toBe(lines[i]!.amount);
      } else {
        // Unbilled: the edit won; the draft's old line was refused and said so.
        expect(edit.status, id).toBe(200);
        expect(row.minutes).toBe(300 + i);
        expect(refused.has(id), id).toBe(true);
      }
    }
  });
});
