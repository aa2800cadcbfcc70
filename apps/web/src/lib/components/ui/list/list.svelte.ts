import type { ListResponse } from '@atelier/contracts';
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { useQuery } from '$lib/data/query.svelte';
import { fieldErrorOf } from '$lib/messages';
import { withParams } from '$lib/navigation';
import { listRequest, listState, PAGE_SIZES, type ListRequestOptions } from './list-request';
import type { SortOrder } from './sort';

export { PAGE_SIZES };

export interface ListOptions<S extends string, F extends Record<string, string>> extends ListRequestOptions<S, F> {
  /** Label of the search box, to name it in its error message. */
  searchLabel?: string;
}

/* Cursor pages only go forward; to go back, each cursor remembers the one before it. Kept in
 * sessionStorage so "Previous page" still works after a reload. */
const PREVIOUS_KEY = 'atelier.list.previous-cursor';
function previousCursors(): Record<string, string | null> {
  try {
    return JSON.parse(sessionStorage.getItem(PREVIOUS_KEY) ?? '{}') as Record<string, string | null>;
  } catch {
    return {};
  }
}
function rememberPrevious(cursor: string, previous: string | null): void {
  const all = previousCursors();
  all[cursor] = previous;
  const keys = Object.keys(all);
  // A bounded memory: the oldest entries go first.
  for (const k of keys.slice(0, Math.max(0, keys.length - 200))) delete all[k];
  try {
    sessionStorage.setItem(PREVIOUS_KEY, JSON.stringify(all));
  } catch {
    // Storage full or refused: "Previous page" then goes to the first page.
  }
}

/**
 * A list whose state lives in the URL — search (`q`), filters, sort, order, page size
 * (`size`) and cursor page (`page`, `cursor`) — so reload, Back and a shared link restore it.
 * Loads through the data layer; every change is a navigation. Must be called while a
 * component initialises.
 */
export function useList<T, S extends string, F extends Record<string, string> = Record<string, never>>(options: ListOptions<S, F>) {
  const defaults = (options.filters ?? {}) as F;
  const params = $derived(page.url.searchParams);

  const state = $derived(listState(options, params));
  const search = $derived(state.search);
  const sort = $derived(state.sort);
  const order = $derived<SortOrder>(state.order);
  const size = $derived(state.size);
  const cursor = $derived(state.cursor);
  const pageNumber = $derived(cursor ? Math.max(2, Math.trunc(Number(params.get('page'))) || 2) : 1);
  const filters = $derived(state.filters);

  // The same request the shell preloads for a list's first screen (lib/data/first-screen.ts).
  const query = useQuery<ListResponse<T>>(() => listRequest(options, state), { keepPrevious: true });

  const searchError = $derived(fieldErrorOf(query.error, 'search', options.searchLabel ?? 'Search'));

  /** Writes `patch` into the URL (a value equal to its default is left out), back to page 1 unless `keepPage`. */
  function navigate(patch: Record<string, string | null>, how: { keepPage?: boolean; replace?: boolean } = {}): Promise<void> {
    const isDefault = (k: string, v: string): boolean =>
      (k in defaults && defaults[k] === v) || (k === 'sort' && v === options.defaultSort) || (k === 'size' && v === String(PAGE_SIZES[0]));
    const values: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(patch)) values[k] = v === null || isDefault(k, v) ? null : v;
    if (!how.keepPage) {
      values['page'] = null;
      values['cursor'] = null;
    }
    return goto(withParams(page.url, values), { keepFocus: true, noScroll: true, replaceState: how.replace ?? false });
  }

  return {
    get search() {
      return search;
    },
    get sort() {
      return sort;
    },
    get order() {
      return order;
    },
    get size() {
      return size;
    },
    get filters() {
      return filters;
    },
    get page() {
      return pageNumber;
    },
    /** The page of results (the previous one stays while the next loads). */
    get result() {
      return query.data;
    },
    get loading() {
      return query.loading;
    },
    /** The list's own failure as a sentence; a bad search is `searchError` instead, next to the box. */
    get error(): string | null {
      return searchError ? null : query.message;
    },
    get searchError() {
      return searchError;
    },
    get pageCount(): number | null {
      return query.data ? Math.max(1, Math.ceil(query.data.total / size)) : null;
    },
    /** 1-based position of the first row on this page. */
    get firstIndex() {
      return (pageNumber - 1) * size + 1;
    },
    get filtered() {
      return search !== '' || Object.entries(defaults).some(([k, d]) => filters[k] !== d);
    },
    get hasNext() {
      return !!query.data?.nextCursor;
    },
    setSearch: (value: string) => navigate({ q: value.trim() }, { replace: search !== '' && value.trim() !== '' }),
    setFilter: (name: keyof F & string, value: string) => navigate({ [name]: value }),
    /** Several filters in one navigation (a project and the task that belonged to it). */
    setFilters: (patch: Partial<Record<keyof F & string, string | null>>) => navigate(patch as Record<string, string | null>),
    setSort: (field: S, dir?: SortOrder) => navigate({ sort: field, order: dir ?? options.sorts[field] }),
    /** A header click: the same field flips the order, another starts in its own order. */
    sortBy(field: S): Promise<void> {
      return navigate({ sort: field, order: sort === field ? (order === 'asc' ? 'desc' : 'asc') : options.sorts[field] });
    },
    setSize: (n: number) => navigate({ size: String(n) }),
    nextPage(): Promise<void> {
      const next = query.data?.nextCursor;
      if (!next) return Promise.resolve();
      rememberPrevious(next, cursor);
      return navigate({ cursor: next, page: String(pageNumber + 1) }, { keepPage: true });
    },
    previousPage(): Promise<void> {
      const previous = cursor ? previousCursors()[cursor] : null;
      if (pageNumber <= 2 || !previous) return navigate({});
      return navigate({ cursor: previous, page: String(pageNumber - 1) }, { keepPage: true });
    },
    /** Back to everything: no search, no filters, first page (sort and size stay). */
    clear: () => navigate({ q: null, ...Object.fromEntries(Object.keys(defaults).map((k) => [k, null])) }),
    reload: () => query.reload(),
    /** Changes rows locally after a save (the next reload brings the server's view). */
    update(fn: (rows: T[]) => T[], totalDelta = 0): void {
      const d = query.data;
      if (d) query.data = { ...d, data: fn(d.data), total: Math.max(0, d.total + totalDelta) };
    },
  };
}

/** What the list components (pager, headers, search box, status) need of any list. */
export interface List {
  readonly search: string;
  readonly sort: string;
  readonly order: SortOrder;
  readonly size: number;
  readonly page: number;
  readonly result: { data: readonly unknown[]; total: number; nextCursor: string | null } | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly searchError: string | undefined;
  readonly pageCount: number | null;
  readonly firstIndex: number;
  readonly filtered: boolean;
  readonly hasNext: boolean;
  setSearch(value: string): Promise<void>;
  sortBy(field: string): Promise<void>;
  setSize(n: number): Promise<void>;
  nextPage(): Promise<void>;
  previousPage(): Promise<void>;
  clear(): Promise<void>;
  reload(): Promise<void>;
}
