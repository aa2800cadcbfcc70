import { untrack } from 'svelte';

import { api, ApiError, isAbortError, type RequestOptions } from '$lib/api';
import { describeError } from '$lib/messages';

/** What a query asks for: a GET of `path` with `query`; null while there is nothing to ask. */
export interface QueryRequest {
  path: string;
  query?: RequestOptions['query'];
}

export interface QueryOptions {
  /** Keep showing the last answer while the next one loads (lists), instead of clearing it. */
  keepPrevious?: boolean;
}

/**
 * The app's one data layer for reads: GETs `request()`, again whenever it changes, aborting
 * the request it supersedes (a slow answer never overwrites a newer one), with loading, error
 * and reload in one place. Must be called while a component initialises.
 */
export function useQuery<T>(request: () => QueryRequest | null, options: QueryOptions = {}) {
  let data = $state<T | null>(null);
  let error = $state<unknown>(null);
  let loading = $state(true);
  /** The request `data` answers (with `keepPrevious`, the previous one while the next loads). */
  let answered = $state<QueryRequest | null>(null);
  let controller: AbortController | null = null;
  let current: QueryRequest | null = null;

  async function run(req: QueryRequest | null): Promise<void> {
    controller?.abort();
    current = req;
    if (!req) {
      loading = false;
      return;
    }
    const ctrl = new AbortController();
    controller = ctrl;
    loading = true;
    error = null;
    if (!options.keepPrevious) data = null;
    try {
      const value = await api<T>(req.path, { ...(req.query ? { query: req.query } : {}), signal: ctrl.signal });
      if (ctrl.signal.aborted) return;
      data = value;
      answered = req;
    } catch (e) {
      if (isAbortError(e) || ctrl.signal.aborted) return;
      error = e;
    } finally {
      if (controller === ctrl) {
        loading = false;
        controller = null;
      }
    }
  }

  let lastKey: string | undefined;
  $effect(() => {
    const req = request();
    // A navigation that leaves this request as it was (another part of the URL) asks nothing.
    const key = JSON.stringify(req);
    if (key === lastKey) return;
    lastKey = key;
    untrack(() => void run(req));
    return () => controller?.abort();
  });

  return {
    /** The last answer (kept while reloading when `keepPrevious`). */
    get data(): T | null {
      return data;
    },
    /** Replaces the answer locally (after a save), without asking the server. */
    set data(value: T | null) {
      data = value;
    },
    get loading(): boolean {
      return loading;
    },
    /** The request the current `data` answers: tells a kept previous answer from the one asked for. */
    get answered(): QueryRequest | null {
      return answered;
    },
    /** The failure of the last request, if it failed (an ApiError, or anything else thrown). */
    get error(): unknown {
      return error;
    },
    /** The failure as a sentence for people, or null. */
    get message(): string | null {
      return error === null ? null : describeError(error);
    },
    get notFound(): boolean {
      return error instanceof ApiError && error.status === 404;
    },
    /** Asks again (a "Try again" button, or after a change elsewhere). */
    reload: (): Promise<void> => run(current),
  };
}

export type Query<T> = ReturnType<typeof useQuery<T>>;

/** One record at `path()`: a query that clears while the next record loads. */
export const useRecord = <T>(path: () => string) => useQuery<T>(() => ({ path: path() }));
