import { crmClientSnapshots } from '@atelier/contracts';
import { replicaConsumer } from '@atelier/platform';
import { clients } from '../db/schema.js';

/** Keeps `projects.clients` at the newest CRM version of each client. */
export const clientReplicaConsumer = () =>
  replicaConsumer({
    queue: 'projects.client-replica',
    // `*` matches exactly one word, so `crm.client.*` would miss every `crm.client.<verb>.v<N>` key.
    bindings: ['crm.client.*.*'],
    table: clients,
    events: crmClientSnapshots,
    live: (client) => ({
      name: client.name,
      email: client.email,
      currency: client.currency,
      isActive: client.isActive,
      deletedAt: null,
      updatedAt: new Date(client.updatedAt),
    }),
    tombstone: ({ name, deletedAt }) => ({
      set: { name, deletedAt: new Date(deletedAt), updatedAt: new Date(deletedAt) },
      firstSeen: { currency: null, isActive: false },
    }),
  });
