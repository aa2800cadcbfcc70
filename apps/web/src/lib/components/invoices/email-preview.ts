/**
 * The send dialog's recipients and its preview of the email: what the person types, checked as
 * the API checks it (SendInvoiceBody, loosely), and the text the client will read around their message.
 * Pure, for the unit tier.
 */
import { EMAIL, MAX_CC } from './limits';
import { formatAmount } from '../../money';
import { formatDay } from '../../format';

/** "a@x.test, b@y.test; c@z.test" → the addresses, blanks left out. */
export const splitAddresses = (text: string): string[] =>
  text
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);

export interface SendFields {
  to: string;
  cc: string;
  message: string;
}

/** Field → message for what the API would refuse; empty when the body is fine. */
export function sendProblems(f: SendFields): Record<string, string> {
  const problems: Record<string, string> = {};
  if (f.to.trim() && !EMAIL.test(f.to.trim())) problems['to'] = 'must be an email address, such as name@example.com';
  const cc = splitAddresses(f.cc);
  const bad = cc.find((a) => !EMAIL.test(a));
  if (bad) problems['cc'] = `has an address that is not an email address (${bad})`;
  else if (cc.length > MAX_CC) problems['cc'] = `may name at most ${MAX_CC} addresses`;
  return problems;
}

/** The request body: a blank `to` lets the server choose the client's contact. */
export function sendBody(f: SendFields): { to?: string; cc?: string[]; message?: string | null } {
  const cc = splitAddresses(f.cc);
  return {
    ...(f.to.trim() ? { to: f.to.trim() } : {}),
    ...(cc.length ? { cc } : {}),
    ...(f.message.trim() ? { message: f.message.trim() } : {}),
  };
}

export interface PreviewInvoice {
  number: string | null;
  total: string;
  amountDue: string;
  currency: string;
  dueDate: string | null;
  clientName: string | null;
}

/**
 * The email as the client reads it (its text part), in the words of the server's template
 * (billing-service invoice-send/invoice-mail.ts); the recipient's name and the link are filled in
 * when it is sent.
 */
export function emailPreview(invoice: PreviewInvoice, agencyName: string, message: string, kind: 'send' | 'remind'): { subject: string; body: string } {
  const number = invoice.number ?? '[number given when sent]';
  const money = (v: string) => formatAmount(v, invoice.currency);
  const due = invoice.dueDate ? formatDay(invoice.dueDate) : null;
  const subject = kind === 'send' ? `Invoice ${number} from ${agencyName}` : `Reminder: invoice ${number} from ${agencyName}, ${money(invoice.amountDue)} due`;
  const lead =
    kind === 'send'
      ? `${agencyName} has sent you invoice ${number} for ${money(invoice.total)}${due ? `, due ${due}` : ''}.`
      : `This is a reminder that invoice ${number} from ${agencyName} has ${money(invoice.amountDue)} outstanding${due ? ` (due ${due})` : ''}.`;
  const lines = [
    'Hello [recipient],',
    '',
    lead,
    ...(message.trim() ? ['', message.trim()] : []),
    '',
    `Invoice: ${number}`,
    `Total: ${money(invoice.total)}`,
    `Amount due: ${money(invoice.amountDue)}`,
    ...(due ? [`Due date: ${due}`] : []),
    '',
    'View and download the invoice: [link to the invoice]',
    '',
    'The invoice is attached as a PDF.',
  ];
  return { subject, body: lines.join('\n') };
}
