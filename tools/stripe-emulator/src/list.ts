import { invalidRequest, noSuch } from './errors.js';

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export interface ListQuery {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

/**
 * Stripe's cursor paging over items sorted newest first: `starting_after` gives the page of
 * older items after that id, `ending_before` the page of newer items just before it (still
 * newest first); `has_more` says whether more lie beyond the page in the direction of travel.
 */
export function paginate<T extends { id: string }>(items: readonly T[], query: ListQuery, url: string, kind: string): ListObject<T> {
  const limit = query.limit ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('This value must be greater than or equal to 1 and less than or equal to 100.', 'limit');
  if (query.starting_after && query.ending_before) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
  }
  const indexOf = (id: string, param: string) => {
    const i = items.findIndex((item) => item.id === id);
    if (i < 0) throw noSuch(kind, id, param);
    return i;
  };
  if (query.ending_before) {
    const end = indexOf(query.ending_before, 'ending_before');
    const start = Math.max(0, end - limit);
    return { object: 'list', data: items.slice(start, end), has_more: start > 0, url };
  }
  const start = query.starting_after ? indexOf(query.starting_after, 'starting_after') + 1 : 0;
  return { object: 'list', data: items.slice(start, start + limit), has_more: start + limit < items.length, url };
}
