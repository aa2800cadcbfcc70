import { api } from '$lib/api';
import { nameCache } from '$lib/data/name-cache.svelte';
import type { Client } from '@atelier/contracts';

const cache = nameCache(async (id) => (await api<Client>(`/api/clients/${encodeURIComponent(id)}`)).name, 'Deleted client');

/** Client names by id, for screens that show contacts or rate cards (which carry only a clientId). */
export const clientNames = {
  get: cache.get,
  ensure: cache.ensure,
  remember(clients: readonly Pick<Client, 'id' | 'name'>[]): void {
    cache.remember(clients.map((c) => [c.id, c.name]));
  },
};
