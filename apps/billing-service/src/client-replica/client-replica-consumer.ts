import { crmClientSnapshots } from '@atelier/contracts';
import { replicaConsumer } from '@atelier/platform';
import { clients } from '../db/schema.js';

/** Keeps `billing.clients` at the newest CRM version of each client: invoices need the address and tax id. */
export const clientReplicaConsumer = () =>
  replicaConsumer({
    queue: 'billing.client-replica',
    // `*` matches exactly one word, so `crm.client.*` would miss every `crm.client.<verb>.v<N>` key.
    bindings: ['crm.client.*.*'],
    table: clients,
    events: crmClientSnapshots,
    live: (client) => ({
      name: client.name,
      email: client.email,
      addressLine1: client.address.line1,
      addressLine2: client.address.line2,
      city: client.address.city,
      region: client.address.region,
      postalCode: client.address.postalCode,
      country: client.address.country,
      taxId: client.taxId,
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
