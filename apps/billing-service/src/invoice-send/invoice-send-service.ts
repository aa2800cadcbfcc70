import { z } from 'zod';
import type { Invoice, RemindBody, SendInvoiceBody } from '@atelier/contracts';
import { conflictError, invalidField, queueMails, tenantTx, transactionNow, writeEvent, type JobRunner, type Principal, type TransactionJob, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { invoicingSettingsOf } from '../invoicing-settings/invoicing-settings-service.js';
import { invoiceStatePayload } from '../invoices/invoice-events.js';
import { issueInvoice } from '../invoices/invoice-issue.js';
import { selectInvoice, updateInvoiceRow, type InvoiceRow } from '../invoices/invoice-repository.js';
import { getInvoiceDto, publicLinkOf, requireInvoice, requireInvoiceRole } from '../invoices/invoice-service.js';
import { agencyDetailsOf } from '../invoice-pdf/invoice-pdf-mapper.js';
import { selectAgency } from '../invoice-pdf/invoice-pdf-repository.js';
import { ensureStoredPdf, type InvoicePdfDeps } from '../invoice-pdf/invoice-pdf-service.js';
import { invoiceMail, type Recipients } from './invoice-mail.js';
import { selectClientEmail, selectPrimaryContact } from './invoice-send-repository.js';

export const BILLING_MAIL_JOB = 'billing.mail.send';
/** Renders and stores the PDF if it is not yet, then queues the mail: after the request, with bounded concurrency. */
export const INVOICE_DELIVERY_JOB = 'billing.invoice.deliver';

export interface SendDeps extends InvoicePdfDeps {
  jobs: JobRunner;
}

/** The statuses a payment reminder is for: money is expected and none of it is settled yet. */
export const REMINDABLE: readonly InvoiceRow['status'][] = ['sent', 'viewed', 'partially_paid', 'overdue'];

const Email = z.email().max(254);
const validEmail = (v: string | null | undefined): string | null => (v && Email.safeParse(v.trim()).success ? v.trim().toLowerCase() : null);

/**
 * Who gets the invoice: `to` if the request names one, else the client's primary contact (the
 * contacts replica), else the client's own email; a 400 naming `to` when there is none. `cc`
 * without duplicates and without `to`.
 */
export async function recipientsOf(tx: Tx, clientId: string, body: { to?: string | undefined; cc?: string[] | undefined }): Promise<Recipients> {
  let to: Recipients['to'] | null = null;
  if (body.to) to = { address: body.to };
  else {
    const contact = await selectPrimaryContact(tx, clientId);
    const contactEmail = validEmail(contact?.email);
    if (contact && contactEmail) to = { name: [contact.firstName, contact.lastName].filter(Boolean).join(' '), address: contactEmail };
    else {
      const client = await selectClientEmail(tx, clientId);
      const clientEmail = validEmail(client?.email);
      if (client && clientEmail) to = { name: client.name, address: clientEmail };
    }
  }
  if (!to) throw invalidField('invoice.no_recipient', 'to', "is required: the client has no primary contact with an email and no email of its own");
  const cc = [...new Set((body.cc ?? []).map((c) => c.toLowerCase()))].filter((c) => c !== to.address);
  return { to, cc };
}

/** Queues the invoice mail (or a reminder) with the stored PDF attached, in the caller's transaction. */
export async function mailInvoice(tx: Tx, deps: SendDeps, row: InvoiceRow, kind: 'invoice' | 'reminder', recipients: Recipients, message: string | null): Promise<void> {
  const pdf = await ensureStoredPdf(tx, deps, row);
  const [agency, settings] = await Promise.all([selectAgency(tx, row.agencyId), invoicingSettingsOf(tx)]);
  const mail = invoiceMail({
    kind,
    row,
    agencyName: agencyDetailsOf(agency).name,
    recipients,
    message,
    publicUrl: publicLinkOf(row.id).publicUrl,
    fromName: settings.fromName,
    replyTo: settings.replyTo,
    footer: settings.footer,
    pdf,
  });
  await queueMails(deps.jobs, tx, BILLING_MAIL_JOB, row.agencyId, [mail]);
}

const Delivery = z.object({
  invoiceId: z.uuid(),
  kind: z.enum(['invoice', 'reminder']),
  to: z.object({ name: z.string().optional(), address: z.string() }),
  cc: z.array(z.string()),
  message: z.string().nullable(),
});
type Delivery = z.infer<typeof Delivery>;

/**
 * Written in the transaction that decided to send (so it is never lost): renders and stores the
 * PDF on the first send and queues the mail. A request never waits for the browser or the blob
 * store while it holds a connection: the job runner's concurrency bounds that work. The job locks
 * the invoice, so two sends store one PDF; an invoice voided meanwhile is not mailed.
 */
async function queueDelivery(tx: Tx, deps: SendDeps, row: InvoiceRow, kind: Delivery['kind'], recipients: Recipients, message: string | null): Promise<void> {
  await deps.jobs.enqueue(tx, { name: INVOICE_DELIVERY_JOB, agencyId: row.agencyId, payload: { invoiceId: row.id, kind, to: recipients.to, cc: recipients.cc, message } satisfies Delivery });
}

export function invoiceDeliveryJob(deps: SendDeps): TransactionJob<Delivery> {
  return {
    name: INVOICE_DELIVERY_JOB,
    payload: Delivery,
    maxAttempts: 10,
    backoff: { baseMs: 1_000, maxMs: 5 * 60_000 },
    async run(tx, job) {
      const row = await selectInvoice(tx, job.payload.invoiceId, 'update');
      if (!row || row.status === 'void' || row.status === 'draft') return;
      await mailInvoice(tx, deps, row, job.payload.kind, { to: job.payload.to, cc: job.payload.cc }, job.payload.message);
      deps.jobs.wake();
    },
  };
}

/**
 * POST /api/invoices/:id/send: a draft is issued first (its number, in this transaction), the
 * delivery queued (the PDF is rendered and stored once by it, a re-send attaches the same file),
 * the invoice marked sent (`sentAt`) and `billing.invoice.sent.v1` written. All or nothing.
 */
export async function sendInvoice(deps: SendDeps, who: Principal, id: string, body: SendInvoiceBody): Promise<Invoice> {
  requireInvoiceRole(who);
  const dto = await tenantTx(deps.db, who.agencyId, async (tx) => {
    let row = await requireInvoice(tx, id, 'update');
    if (row.status === 'void') throw conflictError('invoice.voided', 'A void invoice is not sent');
    const recipients = await recipientsOf(tx, row.clientId, body);
    if (row.status === 'draft') row = (await issueInvoice(tx, who, id)).invoice;
    await queueDelivery(tx, deps, row, 'invoice', recipients, body.message ?? null);
    const now = await transactionNow(tx);
    const saved = await updateInvoiceRow(tx, id, { sentAt: now });
    await writeEvent(tx, outbox, {
      name: 'billing.invoice.sent.v1',
      agencyId: who.agencyId,
      actorId: who.userId,
      payload: { ...invoiceStatePayload(saved), to: recipients.to.address, cc: recipients.cc, sentAt: now.toISOString() },
    });
    return getInvoiceDto(tx, id);
  });
  deps.jobs.wake();
  return dto;
}

/** A payment reminder in the caller's transaction (remind now, or a scheduled one): mail and `billing.invoice.reminder_sent.v1`. */
export async function writeReminder(
  tx: Tx,
  deps: SendDeps,
  actorId: string | null,
  row: InvoiceRow,
  recipients: Recipients,
  message: string | null,
  reminderDay: number | null,
): Promise<void> {
  await queueDelivery(tx, deps, row, 'reminder', recipients, message);
  const now = await transactionNow(tx);
  await writeEvent(tx, outbox, {
    name: 'billing.invoice.reminder_sent.v1',
    agencyId: row.agencyId,
    actorId,
    payload: { ...invoiceStatePayload(row), to: recipients.to.address, cc: recipients.cc, reminderDay, sentAt: now.toISOString() },
  });
}

/** POST /api/invoices/:id/remind: sent, viewed, partially paid or overdue only (409 otherwise). */
export async function remindInvoice(deps: SendDeps, who: Principal, id: string, body: RemindBody): Promise<Invoice> {
  requireInvoiceRole(who);
  const dto = await tenantTx(deps.db, who.agencyId, async (tx) => {
    const row = await requireInvoice(tx, id, 'update');
    if (!REMINDABLE.includes(row.status)) throw conflictError('invoice.not_remindable', `The invoice is ${row.status}; reminders are for sent, viewed, partially paid or overdue invoices`);
    const recipients = await recipientsOf(tx, row.clientId, body);
    await writeReminder(tx, deps, who.userId, row, recipients, body.message ?? null, null);
    return getInvoiceDto(tx, id);
  });
  deps.jobs.wake();
  return dto;
}
