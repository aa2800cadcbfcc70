import type { ClientSortField } from '@atelier/contracts';
import type { ListRequestOptions } from '$lib/components/ui/list/list-request';

export type ClientStatusFilter = 'all' | 'active' | 'inactive';

/** The clients list: what the page lists, and what the shell preloads for it (first-screen.ts). */
export const clientListOptions: ListRequestOptions<ClientSortField, { status: ClientStatusFilter }> = {
  path: '/api/clients',
  sorts: { name: 'asc', email: 'asc', createdAt: 'desc', updatedAt: 'desc' },
  defaultSort: 'name',
  filters: { status: 'all' },
  query: ({ status }) => ({ isActive: status === 'all' ? undefined : status === 'active' }),
};
