import type { Invoice, InvoiceStatus } from '@atelier/contracts';

/** Every invoice status, in the order an invoice moves through them, with its words and badge. */
export const invoiceStatusLabels = {
  draft: 'Draft',
  sent: 'Sent',
  viewed: 'Viewed',
  partially_paid: 'Partially paid',
  paid: 'Paid',
  overdue: 'Overdue',
  void: 'Void',
} as const satisfies Record<InvoiceStatus, string>;

export const invoiceStatusBadges = {
  draft: 'badge-neutral',
  sent: 'badge-primary',
  viewed: 'badge-primary',
  partially_paid: 'badge-warning',
  paid: 'badge-success',
  overdue: 'badge-danger',
  void: 'badge-neutral',
} as const satisfies Record<InvoiceStatus, string>;

export const invoiceStatuses = Object.keys(invoiceStatusLabels) as InvoiceStatus[];

export const isInvoiceStatus = (v: string): v is InvoiceStatus => v in invoiceStatusLabels;

/** Statuses in which money is still expected. */
const OPEN: readonly InvoiceStatus[] = ['sent', 'viewed', 'partially_paid', 'overdue'];
export const isOpen = (status: InvoiceStatus): boolean => OPEN.includes(status);

/** Statuses a reminder may be sent in (the contract's remind route). */
export const canRemind = (status: InvoiceStatus): boolean => OPEN.includes(status);

/** Whether a void is offered: any issued invoice without a payment (the server refuses once one succeeded). */
export const canVoid = (invoice: Pick<Invoice, 'status' | 'amountPaid'>): boolean =>
  invoice.status !== 'void' && invoice.status !== 'paid' && invoice.status !== 'partially_paid' && Number(invoice.amountPaid) === 0;

/**
 * Overdue for the screen: marked so by the server, or open with a due day before `today` (the
 * schedule marks it at the start of the agency's next day; the list need not wait for it).
 */
export const isOverdue = (invoice: Pick<Invoice, 'status' | 'dueDate'>, today: string): boolean =>
  invoice.status === 'overdue' || (isOpen(invoice.status) && invoice.dueDate !== null && invoice.dueDate < today);

/** The invoice's name for people: its number, or "Draft" while it has none. */
export const invoiceName = (invoice: Pick<Invoice, 'number'>): string => invoice.number ?? 'Draft invoice';
