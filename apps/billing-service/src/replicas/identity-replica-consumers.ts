import { identityAgencySnapshots, identityMemberSnapshots } from '@atelier/contracts';
import { memberRowId, replicaConsumer } from '@atelier/platform';
import { agencies, members } from '../db/schema.js';

/** Keeps `billing.agencies` at the newest version of the agency: its details head every invoice, its timezone makes the invoice year. */
export const agencyReplicaConsumer = () =>
  replicaConsumer({
    queue: 'billing.agency-replica',
    bindings: ['identity.agency.*.*'],
    table: agencies,
    events: identityAgencySnapshots,
    live: (a) => ({
      name: a.name,
      timezone: a.timezone,
      currency: a.currency,
      email: a.email,
      phone: a.phone,
      website: a.website,
      address: a.address,
      // Absent on events published before the agency had a country: A4 until it says otherwise.
      country: a.country ?? null,
      taxId: a.taxId,
      logo: a.logo,
    }),
    // Agencies are never deleted by event; an agency snapshot is always live.
    tombstone: () => ({ set: {} }),
  });

/** Keeps `billing.members` at the newest identity version of each member (one row per agency and user: `memberRowId`). */
export const memberReplicaConsumer = () =>
  replicaConsumer({
    queue: 'billing.member-replica',
    bindings: ['identity.member.*.*'],
    table: members,
    events: identityMemberSnapshots(memberRowId),
    live: (m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role, removed: false }),
    // A removed member keeps the name: lines billing their time still say whose it was.
    tombstone: (m) => ({ set: { name: m.name, removed: true }, firstSeen: { userId: m.userId } }),
  });
