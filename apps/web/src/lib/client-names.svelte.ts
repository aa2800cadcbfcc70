import { SvelteMap } from 'svelte/reactivity';
import { api, ApiError } from './api';
import type { Client } from './types';

/**
 * Client names by id, for screens that show contacts (which carry only a clientId).
 * Filled from client lists as they load; missing ids are fetched one by one, once.
 */
const names = new SvelteMap<string, string>();
const inFlight = new Set<string>();

export const clientNames = {
  get(id: string): string | undefined {
    return names.get(id);
  },
  remember(clients: readonly Pick<Client, 'id' | 'name'>[]): void {
    for (const c of clients) if (names.get(c.id) !== c.name) names.set(c.id, c.name);
  },
  /** Fetches the names we do not know yet (a deleted client shows as "Deleted client"). */
  async ensure(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !names.has(id) && !inFlight.has(id));
    await Promise.all(
      missing.map(async (id) => {
        inFlight.add(id);
        try {
          const c = await api<Client>(`/api/clients/${encodeURIComponent(id)}`);
          names.set(c.id, c.name);
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) names.set(id, 'Deleted client');
        } finally {
          inFlight.delete(id);
        }
      }),
    );
  },
};
