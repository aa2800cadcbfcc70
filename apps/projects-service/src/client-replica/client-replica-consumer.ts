import { ClientDeletedPayload, ClientSnapshotPayload } from '@atelier/contracts';
import type { ConsumerSpec } from '@atelier/platform';
import { applyClientDeletion, applyClientSnapshot } from './client-replica-store.js';

/** Keeps the local `clients` replica at the newest CRM version, whatever order events arrive in. */
export const clientReplicaConsumer = (): ConsumerSpec => ({
  queue: 'projects.client-replica',
  // `*` matches exactly one word, so `crm.client.*` would miss every `crm.client.<verb>.v<N>` key.
  bindings: ['crm.client.*.*'],
  async handle(event, tx) {
    switch (event.name) {
      case 'crm.client.created.v1':
      case 'crm.client.updated.v1':
        return applyClientSnapshot(tx, event.agencyId, ClientSnapshotPayload.parse(event.payload));
      case 'crm.client.deleted.v1':
        return applyClientDeletion(tx, event.agencyId, ClientDeletedPayload.parse(event.payload));
      // Client events the replica does not know yet (a new verb or version) carry nothing it keeps.
    }
  },
});
