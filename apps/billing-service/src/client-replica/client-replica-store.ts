import { sql } from 'drizzle-orm';
import type { ClientDeletedPayload, ClientSnapshotPayload } from '@atelier/contracts';
import type { Tx } from '@atelier/platform';
import { clients } from '../db/schema.js';

/** Duplicates and late events carry an older version than the row, so they change nothing. */
const onlyIfNewer = sql`${clients.version} < excluded.version`;

export async function applyClientSnapshot(tx: Tx, agencyId: string, { client, version }: ClientSnapshotPayload): Promise<void> {
  const { address } = client;
  const state = {
    name: client.name,
    email: client.email,
    addressLine1: address.line1,
    addressLine2: address.line2,
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    country: address.country,
    taxId: client.taxId,
    currency: client.currency,
    isActive: client.isActive,
    deletedAt: null,
    version,
    updatedAt: new Date(client.updatedAt),
  };
  await tx
    .insert(clients)
    .values({ id: client.id, agencyId, ...state })
    .onConflictDoUpdate({ target: clients.id, set: state, setWhere: onlyIfNewer });
}

/**
 * A deletion is an upsert too: if it arrives before the client's snapshots it leaves a tombstone,
 * whose version keeps those older snapshots from bringing the client back.
 */
export async function applyClientDeletion(tx: Tx, agencyId: string, { clientId, name, version, deletedAt }: ClientDeletedPayload): Promise<void> {
  const at = new Date(deletedAt);
  const state = { name, deletedAt: at, version, updatedAt: at };
  await tx
    .insert(clients)
    .values({ id: clientId, agencyId, ...state, currency: null, isActive: false })
    .onConflictDoUpdate({ target: clients.id, set: state, setWhere: onlyIfNewer });
}
