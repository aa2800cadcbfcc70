import { addDays, workDate } from '@atelier/time';
import { conflictError, transactionNow, writeEvent, type Principal, type Tx } from '@atelier/platform';
import { clients, outbox } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import { invoicingSettingsOf } from '../invoicing-settings/invoicing-settings-service.js';
import { formatHasYear, formatInvoiceNumber } from '../numbering/invoice-number.js';
import { agencyTimezone, nextSequence } from '../numbering/number-counter-repository.js';
import { moneyText } from './decimals.js';
import { invoiceTimePayload } from './invoice-events.js';
import { tokenHash } from './invoice-links.js';
import { insertStatusChange, selectLines, selectLiveLineEntries, selectRefusedEntries, updateInvoiceRow, type InvoiceRow } from './invoice-repository.js';
import { notDraft, publicLinkOf, requireInvoice } from './invoice-service.js';

/** The issue day of an invoice issued at `now`: the agency's calendar day (Berlin at 23:30 UTC on 31 Dec is already 1 Jan). */
export const issueDayOf = (now: Date, timezone: string): string => workDate(now, timezone);

export interface IssuedInvoice {
  invoice: InvoiceRow;
  /** The public page's token in clear (for the email's link); only its SHA-256 is stored. */
  publicToken: string;
  publicUrl: string;
}

async function billToOf(tx: Tx, clientId: string): Promise<Record<string, unknown>> {
  const [c] = await tx.select().from(clients).where(eq(clients.id, clientId));
  if (!c) return { name: null };
  return {
    name: c.name,
    email: c.email,
    addressLine1: c.addressLine1,
    addressLine2: c.addressLine2,
    city: c.city,
    region: c.region,
    postalCode: c.postalCode,
    country: c.country,
    taxId: c.taxId,
  };
}

/**
 * Issues a draft inside the caller's transaction (h-send's POST /send): the number from the
 * agency's counter for the issue year (row lock, same transaction: a rollback leaves no gap),
 * issue date today in the agency's timezone unless set, due date issue + `defaultDueDays` unless
 * set, the client's details frozen, the public token's hash, status `sent`, status history and
 * `billing.invoice.issued.v1`. `sentAt` is the sender's to set. Refused with 409
 * `invoice.time_changed` while projects refused any of its time, `invoice.empty` without lines.
 */
export async function issueInvoice(tx: Tx, who: Pick<Principal, 'agencyId' | 'userId'> | { agencyId: string; userId: null }, id: string): Promise<IssuedInvoice> {
  const row = await requireInvoice(tx, id, 'update');
  if (row.status !== 'draft') throw notDraft(row);
  const [refused, lines] = await Promise.all([selectRefusedEntries(tx, id), selectLines(tx, [id])]);
  if (refused.length > 0) {
    throw conflictError('invoice.time_changed', `Time on this draft changed since it was added (${refused.map((r) => r.refusedReason).join('; ')}); edit the lines before issuing`);
  }
  if (lines.length === 0) throw conflictError('invoice.empty', 'An invoice without lines cannot be issued');
  const [settings, timezone, now] = await Promise.all([invoicingSettingsOf(tx), agencyTimezone(tx, row.agencyId), transactionNow(tx)]);
  const issueDate = row.issueDate ?? issueDayOf(now, timezone);
  const dueDate = row.dueDate ?? addDays(issueDate, settings.defaultDueDays);
  if (dueDate < issueDate) throw conflictError('invoice.due_before_issue', `The due date ${dueDate} is before the issue date ${issueDate}`, [{ path: 'dueDate', message: 'must be on or after the issue date' }]);
  // The number's year is the issue day's: what the invoice prints and the agency's calendar agree.
  const year = Number(issueDate.slice(0, 4));
  const counterYear = formatHasYear(settings.numberFormat) ? year : 0;
  const seq = await nextSequence(tx, row.agencyId, counterYear);
  const { publicToken, publicUrl } = publicLinkOf(id);
  const issued = await updateInvoiceRow(tx, id, {
    status: 'sent',
    number: formatInvoiceNumber(settings.numberFormat, year, seq),
    numberYear: counterYear,
    numberSeq: seq,
    issueDate,
    dueDate,
    billTo: await billToOf(tx, row.clientId),
    publicTokenHash: tokenHash(publicToken),
  });
  await insertStatusChange(tx, { agencyId: row.agencyId, invoiceId: id, status: 'sent', actorId: who.userId });
  const money = (v: string) => moneyText(v, issued.currency);
  await writeEvent(tx, outbox, {
    name: 'billing.invoice.issued.v1',
    agencyId: row.agencyId,
    actorId: who.userId,
    payload: {
      ...invoiceTimePayload(issued, await selectLiveLineEntries(tx, [id])),
      number: issued.number!,
      issuedAt: now.toISOString(),
      status: issued.status,
      issueDate,
      dueDate,
      total: money(issued.total),
      amountPaid: money(issued.amountPaid),
      amountDue: money(issued.amountDue),
      publicTokenDigest: tokenHash(publicToken).toString('hex'),
    },
  });
  return { invoice: issued, publicToken, publicUrl };
}
