import type { ListRequestOptions } from '$lib/components/ui/list/list-request';
import { isPaymentMethod, isPaymentStatus } from './payments';

export type PaymentFilters = { status: string; method: string; invoiceId: string };

/** The Payments page's list: newest first, filtered by status, method and invoice (an id from the invoice's page). */
export const paymentListOptions: ListRequestOptions<'createdAt', PaymentFilters> = {
  path: '/api/payments',
  sorts: { createdAt: 'desc' },
  defaultSort: 'createdAt',
  filters: { status: 'all', method: 'all', invoiceId: '' },
  query: (f) => ({
    status: isPaymentStatus(f.status) ? f.status : undefined,
    method: isPaymentMethod(f.method) ? f.method : undefined,
    // Only an id the API takes: a mangled link lists everything rather than failing.
    invoiceId: /^[0-9a-f-]{36}$/i.test(f.invoiceId) ? f.invoiceId : undefined,
  }),
};
