import type { ConsumerSpec } from '@atelier/platform';
import { applyInvoiceEvent } from './billing-lifecycle-service.js';

/** Billing's invoice events move projects' time entries through unbilled → reserved → billed (events.md › Time entry lifecycle). */
export const billingLifecycleConsumer = (): ConsumerSpec => ({
  queue: 'projects.billing-lifecycle',
  bindings: ['billing.invoice.drafted.*', 'billing.invoice.updated.*', 'billing.invoice.deleted.*', 'billing.invoice.issued.*', 'billing.invoice.voided.*'],
  handle: applyInvoiceEvent,
});
