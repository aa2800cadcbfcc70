import { SvelteMap } from 'svelte/reactivity';

import { ApiError } from '$lib/api';

/**
 * Names by id for screens whose rows carry only ids (contacts' clients, time entries'
 * projects and tasks): filled from the lists the screens load anyway, a missing id fetched
 * once; an id the API no longer knows (404) shows as `deleted`.
 */
export function nameCache(fetchName: (id: string) => Promise<string>, deleted: string) {
  const names = new SvelteMap<string, string>();
  // Bookkeeping only, never rendered: a plain Set on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const inFlight = new Set<string>();
  return {
    get: (id: string | null | undefined): string | undefined => (id ? names.get(id) : undefined),
    remember(entries: Iterable<readonly [string, string]>): void {
      for (const [id, name] of entries) if (names.get(id) !== name) names.set(id, name);
    },
    /** Fetches the names not known yet. */
    async ensure(ids: Iterable<string | null | undefined>): Promise<void> {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local dedupe, not state
      const missing = [...new Set(ids)].filter((id): id is string => !!id && !names.has(id) && !inFlight.has(id));
      await Promise.all(
        missing.map(async (id) => {
          inFlight.add(id);
          try {
            names.set(id, await fetchName(id));
          } catch (e) {
            if (e instanceof ApiError && e.status === 404) names.set(id, deleted);
          } finally {
            inFlight.delete(id);
          }
        }),
      );
    },
  };
}

export type NameCache = ReturnType<typeof nameCache>;
