import { describe, expect, it } from 'vitest';
import { clientContactsRequest, firstScreenUrls, requestUrl } from '../src/lib/data/first-screen.js';

const id = '0b7c6f2e-3a41-4c8e-9d2f-5e6a7b8c9d0e';

describe("a page's first-screen requests", () => {
  it('names every request of a client page, as the page itself builds them', () => {
    expect(firstScreenUrls(`/clients/${id}`)).toEqual([
      `/api/clients/${id}`,
      `/api/timeline?clientId=${id}&limit=50`,
      `/api/projects?clientId=${id}&limit=50&sort=name&order=asc`,
      `/api/clients/${id}/contacts?limit=200&sort=lastName&order=asc`,
      `/api/clients/${id}/notes?limit=50`,
      '/api/auth/members',
    ]);
    expect(firstScreenUrls(`/clients/${id}`)).toContain(requestUrl(clientContactsRequest(id)));
  });

  it('names the clients list as its URL has it: defaults, or the search, filter, sort and size it says', () => {
    expect(firstScreenUrls('/clients')).toEqual(['/api/clients?limit=25&sort=name&order=asc']);
    expect(firstScreenUrls('/clients', new URLSearchParams('q=acme&status=inactive&sort=createdAt&size=50&bogus=1'))).toEqual([
      '/api/clients?limit=50&search=acme&sort=createdAt&order=desc&isActive=false',
    ]);
  });

  it('preloads nothing for other pages, or for a client path that is no client id', () => {
    expect(firstScreenUrls('/clients/new')).toEqual([]);
    expect(firstScreenUrls(`/clients/${id}/edit`)).toEqual([]);
    expect(firstScreenUrls('/clients/"><script>')).toEqual([]);
  });
});
