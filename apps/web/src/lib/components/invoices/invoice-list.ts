import type { InvoiceSortField } from '@atelier/contracts';
import type { QueryValues } from '$lib/data/query-string';
import type { ListRequestOptions } from '$lib/components/ui/list/list-request';
import { isInvoiceStatus } from './labels';

export type InvoiceFilters = { status: string; clientId: string; projectId: string; from: string; to: string };

/** The filters the summary shares with the list (every status: the tabs count each). */
export const invoiceFilterQuery = (f: InvoiceFilters): QueryValues => ({
  clientId: f.clientId || undefined,
  projectId: f.projectId || undefined,
  from: f.from || undefined,
  to: f.to || undefined,
});

/** The invoice list: what the page lists, and what the shell preloads for it (first-screen.ts). */
export const invoiceListOptions: ListRequestOptions<InvoiceSortField, InvoiceFilters> = {
  path: '/api/invoices',
  sorts: { createdAt: 'desc', issueDate: 'desc', dueDate: 'asc', number: 'desc', total: 'desc', updatedAt: 'desc', status: 'asc' },
  defaultSort: 'createdAt',
  filters: { status: 'all', clientId: '', projectId: '', from: '', to: '' },
  query: (f) => ({ ...invoiceFilterQuery(f), status: isInvoiceStatus(f.status) ? f.status : undefined }),
};

/** The status tabs' figures for the list in this state (its filters and search). */
export const invoiceSummaryRequest = (filters: InvoiceFilters, search: string) => ({
  path: '/api/invoices/summary',
  query: { ...invoiceFilterQuery(filters), search: search || undefined } as QueryValues,
});
