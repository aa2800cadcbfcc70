import { untrack } from 'svelte';
import { api, ApiError, describeError, isAbortError } from '$lib/api';

/**
 * Loads one record from the API path `path()`, again whenever the path changes (an earlier
 * request is aborted). Must be called while a component initialises.
 */
export function useRecord<T>(path: () => string) {
  let value = $state<T | null>(null);
  let loading = $state(true);
  let error = $state<string | null>(null);
  let notFound = $state(false);

  async function load(url: string, signal?: AbortSignal): Promise<void> {
    loading = true;
    error = null;
    notFound = false;
    value = null;
    try {
      value = await api<T>(url, signal ? { signal } : {});
    } catch (e) {
      if (isAbortError(e)) return;
      notFound = e instanceof ApiError && e.status === 404;
      error = describeError(e);
    } finally {
      if (!signal?.aborted) loading = false;
    }
  }

  $effect(() => {
    const url = path();
    const ctrl = new AbortController();
    untrack(() => void load(url, ctrl.signal));
    return () => ctrl.abort();
  });

  return {
    get value() {
      return value;
    },
    set value(v: T | null) {
      value = v;
    },
    get loading() {
      return loading;
    },
    get error() {
      return error;
    },
    get notFound() {
      return notFound;
    },
    /** Loads the record again (a "Try again" button). */
    reload: (): Promise<void> => load(path()),
  };
}
