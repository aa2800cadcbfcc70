import { identityMemberSnapshots } from '@atelier/contracts';
import { memberRowId, replicaConsumer } from '@atelier/platform';
import { memberNames } from '../db/schema.js';

/** Keeps `crm.member_names` at the newest identity version of each member, whatever order events arrive in. */
export const memberNameConsumer = () =>
  replicaConsumer({
    queue: 'crm.member-names',
    bindings: ['identity.member.*.*'],
    table: memberNames,
    events: identityMemberSnapshots(memberRowId),
    live: (m) => ({ userId: m.userId, name: m.name, removed: false }),
    // A removed member keeps the name: the entries it made still say who it was.
    tombstone: (m) => ({ set: { name: m.name, removed: true }, firstSeen: { userId: m.userId } }),
  });
