import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { tenantTx, type Db } from '@atelier/platform';
import { newPrincipal, serviceClient, startTestSmtp, stopTestService, waitFor, type TestSmtp } from '@atelier/platform/testing';
import { REMINDER_JOB } from '../src/reminders/reminder-service.js';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { outboxEvents } from './invoice-helpers.js';
import { seedAgencyDetails, seedBillClient, seedContact } from './send-helpers.js';

// Two replicas of billing on one database, their schedules on one test clock (the kit's `now`).
let clock = new Date('2026-01-05T12:00:00Z');
let a: BillingHarness;
let b: BillingHarness;
let db: Db;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startTestSmtp();
  const env = { SMTP_URL: smtp.url, REMINDER_SWEEP_MINUTES: '1', REMINDER_AT: '09:00' };
  const jobRunner = { pollMs: 50, scheduleTickMs: 50, now: () => clock };
  a = await startBilling({ env, jobRunner });
  b = await startBilling({ db: a.db, namespace: a.namespace, env, jobRunner });
  db = a.service.ctx.database.db;
}, 60_000);
afterAll(async () => {
  await stopTestService(b.service);
  await stopTestService(a.service);
  await a.db.drop();
  await smtp.stop();
});

const settle = (ms = 1_500) => new Promise((r) => setTimeout(r, ms));
const remindersTo = (address: string) => smtp.to(address).filter((m) => m.parsed.subject?.startsWith('Reminder') === true);
const claims = (agencyId: string) =>
  tenantTx(db, agencyId, (tx) => tx.execute<{ invoice_id: string; reminder_day: number }>(sql`select invoice_id, reminder_day from billing.invoice_reminders order by reminder_day`));

/** An invoice of an agency in New York, due on 2026-01-10, sent to `email`; reminders on days 7 and 14. */
async function sentInvoice(email: string) {
  const owner = newPrincipal('owner');
  await seedAgencyDetails(db, owner.agencyId, { timezone: 'America/New_York' });
  const clientId = await seedBillClient(db, owner.agencyId);
  await seedContact(db, owner.agencyId, clientId, { email });
  const api = serviceClient(a.url, owner);
  expect((await api('PATCH', '/api/settings/invoicing', { reminderDays: [7, 14] })).status).toBe(200);
  const draft = await api('POST', '/api/invoices', { clientId, issueDate: '2026-01-01', dueDate: '2026-01-10', lineItems: [{ description: 'Work', quantity: '1', unitPrice: '100.00' }] });
  expect((await api('POST', `/api/invoices/${draft.body.id}/send`, {})).status).toBe(200);
  await smtp.next((m) => m.rcptTo.includes(email));
  return { owner, id: draft.body.id as string };
}

describe('scheduled reminders', () => {
  it('go out at 09:00 agency time on due date + each reminder day, once each, with two replicas running', async () => {
    const email = 'reminders-a@acme.example';
    const { owner, id } = await sentInvoice(email);

    // 2026-01-17 is due + 7; 09:00 in New York (EST) is 14:00 UTC. A minute before: nothing.
    clock = new Date('2026-01-17T13:59:00Z');
    await settle();
    expect(remindersTo(email)).toHaveLength(0);

    clock = new Date('2026-01-17T14:00:00Z');
    const first = await waitFor(() => remindersTo(email)[0], 10_000);
    expect(first.parsed.subject).toContain('Reminder: invoice INV-2026-0001');
    expect(first.parsed.attachments.map((x) => x.contentType)).toEqual(['application/pdf']);
    // Later sweeps (both replicas, more slots) and extra jobs for the same reminder change nothing.
    for (const minute of ['14:01', '14:02', '14:03']) {
      clock = new Date(`2026-01-17T${minute}:00Z`);
      await settle(300);
    }
    for (const service of [a.service, b.service]) {
      await tenantTx(db, owner.agencyId, (tx) => service.ctx.jobs.enqueue(tx, { name: REMINDER_JOB, agencyId: owner.agencyId, payload: { invoiceId: id, reminderDay: 7 } }));
      service.ctx.jobs.wake();
    }
    await settle();
    expect(remindersTo(email)).toHaveLength(1);

    clock = new Date('2026-01-24T14:00:00Z');
    await waitFor(() => remindersTo(email)[1], 10_000);
    clock = new Date('2026-01-24T14:05:00Z');
    await settle();
    expect(remindersTo(email)).toHaveLength(2);
    expect((await claims(owner.agencyId)).map((r) => Number(r.reminder_day))).toEqual([7, 14]);
    const events = await outboxEvents(db, owner.agencyId, 'billing.invoice.reminder_sent.v1');
    expect(events.map((e) => (e.payload as { reminderDay: number }).reminderDay)).toEqual([7, 14]);
  });

  it('after downtime only the latest reminder due goes out once, and none for a void invoice', async () => {
    const late = 'reminders-b@acme.example';
    const { owner } = await sentInvoice(late);
    const voided = 'reminders-c@acme.example';
    const v = await sentInvoice(voided);
    expect((await serviceClient(a.url, v.owner)('POST', `/api/invoices/${v.id}/void`)).status).toBe(200);

    clock = new Date('2026-02-20T15:00:00Z');
    await waitFor(() => remindersTo(late)[0], 10_000);
    clock = new Date('2026-02-20T15:05:00Z');
    await settle();
    expect(remindersTo(late)).toHaveLength(1);
    expect((await claims(owner.agencyId)).map((r) => Number(r.reminder_day))).toEqual([14]);
    expect(remindersTo(voided)).toHaveLength(0);
    expect(await claims(v.owner.agencyId)).toHaveLength(0);
  });
});
