import { notFoundError, tenantTx } from '@atelier/platform';
import type { ResolvedIdentity } from '../identity/identity-repository.js';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { toSessionDto } from './session-mapper.js';
import { deleteUserSession, deleteUserSessions, listUserSessions } from './session-repository.js';

export async function listOwnSessions(deps: IdentityDeps, who: ResolvedIdentity) {
  const rows = await tenantTx(deps.db, who.agencyId, (tx) => listUserSessions(tx, who.userId, deps.config.SESSION_IDLE_HOURS));
  return rows.map((r) => toSessionDto(r, who.sessionId));
}

export async function revokeOwnSession(deps: IdentityDeps, who: ResolvedIdentity, sessionId: string): Promise<void> {
  const deleted = await tenantTx(deps.db, who.agencyId, (tx) => deleteUserSession(tx, who.userId, sessionId));
  if (!deleted) throw notFoundError('session.not_found', 'Session not found');
  deps.auth.evict({ sessionId });
}

/** "Sign out everywhere else": every session of the caller in this agency but the current one. */
export async function revokeOtherSessions(deps: IdentityDeps, who: ResolvedIdentity): Promise<void> {
  const ended = await tenantTx(deps.db, who.agencyId, (tx) => deleteUserSessions(tx, who.userId, who.sessionId));
  for (const sessionId of ended) deps.auth.evict({ sessionId });
}
