import { formatMoney, Money } from '@atelier/money';
import { escapeHtml, type MailMessage } from '@atelier/platform';
import type { InvoiceRow } from '../invoices/invoice-repository.js';
import { INVOICE_LOCALE } from '../invoice-pdf/invoice-pdf-mapper.js';
import { formatDate } from '../pdf/invoice-document.js';

export interface Recipients {
  to: { name?: string; address: string };
  cc: string[];
}

export interface InvoiceMailInput {
  kind: 'invoice' | 'reminder';
  row: InvoiceRow;
  agencyName: string;
  recipients: Recipients;
  message: string | null;
  publicUrl: string;
  /** The settings' From name (else the agency's name) and Reply-To. */
  fromName: string | null;
  replyTo: string | null;
  footer: string | null;
  pdf: { blobId: string; filename: string };
}

const paragraphs = (text: string) =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`)
    .join('');

/**
 * The invoice email and the payment reminder: text and HTML bodies with the same words, the
 * stored PDF attached, the public link. Every value a person typed is escaped in the HTML; the
 * headers (names, subject) go through the kit's `headerSafe`, which the mailer applies.
 */
export function invoiceMail(input: InvoiceMailInput): MailMessage {
  const { row } = input;
  const money = (v: string) => formatMoney(Money.round(v, row.currency), { locale: INVOICE_LOCALE });
  const number = row.number ?? '';
  const due = row.dueDate ? formatDate(row.dueDate, INVOICE_LOCALE) : null;
  const subject =
    input.kind === 'invoice' ? `Invoice ${number} from ${input.agencyName}` : `Reminder: invoice ${number} from ${input.agencyName}, ${money(row.amountDue)} due`;
  const greeting = `Hello ${input.recipients.to.name ?? ''}`.trim() + ',';
  const lead =
    input.kind === 'invoice'
      ? `${input.agencyName} has sent you invoice ${number} for ${money(row.total)}${due ? `, due ${due}` : ''}.`
      : `This is a reminder that invoice ${number} from ${input.agencyName} has ${money(row.amountDue)} outstanding${due ? ` (due ${due})` : ''}.`;
  const facts = [`Invoice: ${number}`, `Total: ${money(row.total)}`, `Amount due: ${money(row.amountDue)}`, ...(due ? [`Due date: ${due}`] : [])];
  const text = [
    greeting,
    '',
    lead,
    ...(input.message ? ['', input.message] : []),
    '',
    ...facts,
    '',
    `View and download the invoice: ${input.publicUrl}`,
    '',
    'The invoice is attached as a PDF.',
    ...(input.footer ? ['', '--', input.footer] : []),
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;color:#111">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(lead)}</p>`,
    input.message ? paragraphs(input.message) : '',
    `<table>${facts.map((f) => {
      const [k, ...v] = f.split(': ');
      return `<tr><th align="left">${escapeHtml(k!)}</th><td>${escapeHtml(v.join(': '))}</td></tr>`;
    }).join('')}</table>`,
    `<p><a href="${escapeHtml(input.publicUrl)}">View and download the invoice</a></p>`,
    '<p>The invoice is attached as a PDF.</p>',
    input.footer ? `<hr>${paragraphs(input.footer)}` : '',
    '</body></html>',
  ].join('');
  return {
    to: input.recipients.to,
    ...(input.recipients.cc.length > 0 ? { cc: input.recipients.cc } : {}),
    subject,
    text,
    html,
    fromName: input.fromName ?? input.agencyName,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    attachments: [{ filename: input.pdf.filename, contentType: 'application/pdf', blobId: input.pdf.blobId }],
  };
}
