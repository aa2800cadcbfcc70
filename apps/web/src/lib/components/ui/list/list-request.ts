import type { QueryValues } from '$lib/data/query-string';
import type { SortOrder } from './sort';

/** The page sizes a person can choose; the first is the default. */
export const PAGE_SIZES = [25, 50, 100] as const;

/** What a list asks the API for: its path, sorts and filters (the URL holds the rest). */
export interface ListRequestOptions<S extends string, F extends Record<string, string>> {
  /** The API list, e.g. `/api/clients`. */
  path: string;
  /** Each sortable field with the order it starts in when chosen ("name" asc, "createdAt" desc). */
  sorts: Record<S, SortOrder>;
  defaultSort: S;
  /** Filters kept in the URL, by parameter name, with the value meaning "no filter". */
  filters?: F;
  /** The API query for the filters in effect. */
  query?: (filters: F) => QueryValues | undefined;
}

/** A list's state as its URL says it; every value falls back to the list's default. */
export function listState<S extends string, F extends Record<string, string>>(options: ListRequestOptions<S, F>, params: URLSearchParams) {
  const defaults = (options.filters ?? {}) as F;
  const s = params.get('sort');
  const sort: S = s !== null && s in options.sorts ? (s as S) : options.defaultSort;
  const o = params.get('order');
  const order: SortOrder = o === 'asc' || o === 'desc' ? o : options.sorts[sort];
  const n = Number(params.get('size'));
  const size: number = (PAGE_SIZES as readonly number[]).includes(n) ? n : PAGE_SIZES[0];
  const cursor = params.get('cursor') ?? null;
  const filters = Object.fromEntries(Object.entries(defaults).map(([k, d]) => [k, params.get(k) ?? d])) as F;
  return { search: params.get('q') ?? '', sort, order, size, cursor, filters };
}

/**
 * The API request for a list in a given state: the one `useList` makes, and the one the shell
 * preloads for a list's first screen (so both are the same URL).
 */
export function listRequest<S extends string, F extends Record<string, string>>(options: ListRequestOptions<S, F>, state: ReturnType<typeof listState<S, F>>) {
  return {
    path: options.path,
    query: {
      limit: state.size,
      cursor: state.cursor ?? undefined,
      search: state.search || undefined,
      sort: state.sort,
      order: state.order,
      ...(options.query?.(state.filters) ?? {}),
    } as QueryValues,
  };
}
