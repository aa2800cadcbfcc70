import { Money } from '@atelier/money';
import { PaymentFailedPayload, PaymentRefundedPayload, PaymentSnapshotPayload, type EventEnvelope, type InvoiceStatus } from '@atelier/contracts';
import { writeEvent, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { invoiceStatePayload } from '../invoices/invoice-events.js';
import { amountDueOf } from '../invoices/invoice-figures.js';
import { insertStatusChange, selectInvoice, updateInvoicePayments, type InvoiceRow } from '../invoices/invoice-repository.js';
import { selectNetPaid, upsertPayment } from './payments-ledger-repository.js';

const schemas = {
  'payments.payment.succeeded.v1': PaymentSnapshotPayload,
  'payments.payment.failed.v1': PaymentFailedPayload,
  'payments.payment.refunded.v1': PaymentRefundedPayload,
} as const;
type PaymentEventPayload = ReturnType<(typeof schemas)[keyof typeof schemas]['parse']>;

/**
 * Where the amounts leave an issued invoice: paid once nothing is due, partially paid while some
 * is (an overdue invoice stays overdue), and with nothing paid back where it was before the money
 * came: overdue once the overdue schedule marked it, viewed once the client opened it, else sent.
 */
export function statusAfterPayments(row: InvoiceRow, paid: Money, due: Money): InvoiceStatus {
  if (row.status === 'draft' || row.status === 'void') return row.status;
  if (paid.isPositive() && !due.isPositive()) return 'paid';
  if (paid.isPositive()) return row.status === 'overdue' || (row.status === 'paid' && row.overdueAt) ? 'overdue' : 'partially_paid';
  return row.overdueAt ? 'overdue' : row.viewedAt ? 'viewed' : 'sent';
}

/**
 * One payment event: the payment row is upserted by id (newest version wins), then the invoice's
 * amount paid is summed again from every payment, so redeliveries and any arrival order converge
 * on the same figures. An overpayment leaves nothing due (`amountDue` 0, never negative) and shows
 * as `amountPaid` above `total` (the DTO's `amountOverpaid`). An event goes out only when the
 * figures moved.
 */
export async function applyPaymentEvent(event: EventEnvelope, tx: Tx): Promise<void> {
  const schema = schemas[event.name as keyof typeof schemas];
  if (!schema) return;
  const p = schema.parse(event.payload);
  const invoice = await selectInvoice(tx, p.invoiceId, 'update');
  // A payment of an invoice this agency's billing does not hold (deleted draft, another agency): nothing to apply to.
  if (!invoice) return;
  const upserted = upsertPayment(tx, {
    paymentId: p.paymentId,
    agencyId: event.agencyId,
    invoiceId: p.invoiceId,
    amount: p.amount,
    amountRefunded: p.amountRefunded,
    currency: p.currency,
    status: p.status,
    method: p.method,
    paidOn: p.paidOn,
    version: p.version,
  });
  const currency = invoice.currency;
  // Sent behind the upsert, in the same write: it sums the payments with this one's new figures.
  const netPaid = selectNetPaid(tx, invoice.id, currency);
  netPaid.catch(() => {});
  if (!(await upserted)) return;
  const paid = Money.round(await netPaid, currency);
  const before = Money.round(invoice.amountPaid, currency);
  if (paid.equals(before)) return;
  const total = Money.round(invoice.total, currency);
  const due = amountDueOf(total, paid);
  const status = statusAfterPayments(invoice, paid, due);
  const saved = await updateInvoicePayments(tx, invoice.id, { amountPaid: paid.amount, amountDue: due.amount, status });
  // The history row and the event are independent: they go out together.
  const issued = invoice.status !== 'draft' && invoice.status !== 'void';
  await Promise.all([
    status !== invoice.status ? insertStatusChange(tx, { agencyId: event.agencyId, invoiceId: invoice.id, status, actorId: null }) : undefined,
    issued ? writeEvent(tx, outbox, paymentEventOf(event, p, saved, paid, before)) : undefined,
  ]);
}

/** What billing tells of the invoice after a payment event moved its amount paid from `before` to `paid`. */
function paymentEventOf(event: EventEnvelope, p: PaymentEventPayload, saved: InvoiceRow, paid: Money, before: Money) {
  const state = invoiceStatePayload(saved);
  if (paid.compare(before) < 0) {
    const refundAmount = (p as { refundAmount?: string }).refundAmount;
    const refunded = refundAmount !== undefined ? Money.round(refundAmount, saved.currency) : before.minus(paid);
    return {
      name: 'billing.invoice.refunded.v1',
      agencyId: event.agencyId,
      actorId: null,
      payload: { ...state, paymentId: p.paymentId, amountRefunded: refunded.amount, refundedAt: p.occurredAt },
    } as const;
  }
  return {
    name: saved.status === 'paid' ? 'billing.invoice.paid.v1' : 'billing.invoice.partially_paid.v1',
    agencyId: event.agencyId,
    actorId: null,
    payload: { ...state, paymentId: p.paymentId, paidAt: saved.paidAt ? saved.paidAt.toISOString() : null },
  } as const;
}
