import { identityMemberSnapshots } from '@atelier/contracts';
import { memberRowId, replicaConsumer } from '@atelier/platform';
import { members } from '../db/schema.js';

/** Keeps `projects.members` at the newest identity version of each member, whatever order events arrive in. */
export const memberReplicaConsumer = () =>
  replicaConsumer({
    queue: 'projects.member-replica',
    bindings: ['identity.member.*.*'],
    table: members,
    events: identityMemberSnapshots(memberRowId),
    live: (m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role, removed: false }),
    // A removed member keeps name and role: the time and tasks they had still say whose they were.
    tombstone: (m) => ({ set: { name: m.name, removed: true }, firstSeen: { userId: m.userId } }),
  });
