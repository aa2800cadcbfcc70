import { billingEvents, type EventEnvelope } from '@atelier/contracts';
import type { ConsumerSpec, Tx } from '@atelier/platform';
import { upsertInvoiceFacts, type InvoiceFacts } from './invoice-repository.js';

/** What an invoice event says of the invoice; null for events payments does not keep. */
export function invoiceFactsOf(event: EventEnvelope): InvoiceFacts | null {
  switch (event.name) {
    case 'billing.invoice.issued.v1': {
      const p = billingEvents['billing.invoice.issued.v1'].parse(event.payload);
      return {
        id: p.invoiceId,
        clientId: p.clientId,
        number: p.number,
        currency: p.currency,
        total: p.total ?? null,
        amountDue: p.amountDue ?? null,
        status: p.status ?? 'sent',
        publicTokenDigest: p.publicTokenDigest ?? null,
        version: p.version,
      };
    }
    case 'billing.invoice.voided.v1': {
      const p = billingEvents['billing.invoice.voided.v1'].parse(event.payload);
      // A void invoice owes nothing through checkout; its figures stay as they were.
      return { id: p.invoiceId, clientId: p.clientId, number: p.number, currency: p.currency, total: null, amountDue: null, status: 'void', publicTokenDigest: null, version: p.version };
    }
    case 'billing.invoice.sent.v1':
    case 'billing.invoice.viewed.v1':
    case 'billing.invoice.overdue.v1':
    case 'billing.invoice.reminder_sent.v1':
    case 'billing.invoice.partially_paid.v1':
    case 'billing.invoice.paid.v1':
    case 'billing.invoice.refunded.v1': {
      const p = billingEvents[event.name].parse(event.payload);
      return { id: p.invoiceId, clientId: p.clientId, number: p.number, currency: p.currency, total: p.total, amountDue: p.amountDue, status: p.status, publicTokenDigest: null, version: p.version };
    }
    default:
      return null;
  }
}

/** Keeps `payments.invoices` at the newest version of each issued invoice billing announces. */
export const invoiceReplicaConsumer = (): ConsumerSpec => ({
  queue: 'payments.invoice-replica',
  bindings: ['billing.invoice.*.*'],
  handle: async (event: EventEnvelope, tx: Tx) => {
    const facts = invoiceFactsOf(event);
    if (facts) await upsertInvoiceFacts(tx, event.agencyId, facts);
  },
});
