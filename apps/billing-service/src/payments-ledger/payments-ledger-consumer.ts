import type { ConsumerSpec } from '@atelier/platform';
import { applyPaymentEvent } from './payments-ledger-service.js';

/** payments-service's payment snapshots move the invoices' amount paid, amount due and status. */
export const paymentsLedgerConsumer = (): ConsumerSpec => ({
  queue: 'billing.payments-ledger',
  bindings: ['payments.payment.succeeded.*', 'payments.payment.failed.*', 'payments.payment.refunded.*'],
  handle: applyPaymentEvent,
});
