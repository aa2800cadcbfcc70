// The requests a page's first screen makes, in one place: the pages ask for exactly these, and
// the server hook names them in the shell (`<link rel="preload" as="fetch">`), so the browser
// fetches the data while it fetches the script instead of after it. A preload is used only by a
// request for the same URL, hence one builder per request, shared by both.
import { clientListOptions } from '../components/clients/client-list';
import { invoiceListOptions, invoiceSummaryRequest } from '../components/invoices/invoice-list';
import { listRequest, listState } from '../components/ui/list/list-request';
import { queryString, type QueryValues } from './query-string';

export interface FirstRequest {
  path: string;
  query?: QueryValues;
}

export const CLIENT_TIMELINE_PAGE = 50;
export const CLIENT_CONTACTS_LIMIT = 200;
export const CLIENT_NOTES_PAGE = 50;

export const clientRecordRequest = (id: string): FirstRequest => ({ path: `/api/clients/${encodeURIComponent(id)}` });

export const clientTimelineRequest = (id: string): FirstRequest => ({ path: '/api/timeline', query: { clientId: id, limit: CLIENT_TIMELINE_PAGE } });

export const clientContactsRequest = (id: string): FirstRequest => ({
  path: `/api/clients/${encodeURIComponent(id)}/contacts`,
  query: { limit: CLIENT_CONTACTS_LIMIT, sort: 'lastName', order: 'asc' },
});

export const clientNotesRequest = (id: string): FirstRequest => ({ path: `/api/clients/${encodeURIComponent(id)}/notes`, query: { limit: CLIENT_NOTES_PAGE } });

export const CLIENT_PROJECTS_LIMIT = 50;

export const clientProjectsRequest = (id: string): FirstRequest => ({ path: '/api/projects', query: { clientId: id, limit: CLIENT_PROJECTS_LIMIT, sort: 'name', order: 'asc' } });

/** The agency's members (note authors' names). */
export const membersRequest = (): FirstRequest => ({ path: '/api/auth/members' });

export const requestUrl = (r: FirstRequest): string => r.path + queryString(r.query);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The URLs the first screen of `pathname` (with its list state in `search`) asks for as soon as it renders; none for other pages. */
export function firstScreenUrls(pathname: string, search: URLSearchParams = new URLSearchParams()): string[] {
  if (pathname === '/clients') return [requestUrl(listRequest(clientListOptions, listState(clientListOptions, search)))];
  if (pathname === '/invoices') {
    const state = listState(invoiceListOptions, search);
    return [requestUrl(listRequest(invoiceListOptions, state)), requestUrl(invoiceSummaryRequest(state.filters, state.search))];
  }
  const client = /^\/clients\/([^/]+)$/.exec(pathname)?.[1];
  if (client && UUID.test(client)) {
    return [clientRecordRequest(client), clientTimelineRequest(client), clientProjectsRequest(client), clientContactsRequest(client), clientNotesRequest(client), membersRequest()].map(
      requestUrl,
    );
  }
  return [];
}
