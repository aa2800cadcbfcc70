import type { TenantTx } from '@atelier/platform';
import { userMemberships } from '../identity/identity-repository.js';
import { deleteUserSessions } from './session-repository.js';

/**
 * Ends a user's sessions in every agency they belong to (sessions are tenant rows, so the
 * transaction is pinned to each agency in turn), except `keep`.
 */
export async function endSessionsEverywhere(tx: TenantTx, userId: string, keep?: string): Promise<void> {
  for (const m of await userMemberships(tx, userId)) {
    await tx.pinAgency(m.agency_id);
    await deleteUserSessions(tx, userId, keep);
  }
}
