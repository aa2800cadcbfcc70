import { identityAgencySnapshots } from '@atelier/contracts';
import { replicaConsumer } from '@atelier/platform';
import { agencies } from '../db/schema.js';

/** Keeps `projects.agencies` at the newest version of the agency: its timezone decides work days. */
export const agencyReplicaConsumer = () =>
  replicaConsumer({
    queue: 'projects.agency-replica',
    bindings: ['identity.agency.*.*'],
    table: agencies,
    events: identityAgencySnapshots,
    live: (a) => ({ name: a.name, timezone: a.timezone, currency: a.currency }),
    // Agencies are never deleted by event; an agency snapshot is always live.
    tombstone: () => ({ set: {} }),
  });
