import type { Role } from '@atelier/contracts';
import { conflictError, forbiddenError, notFoundError, tenantTx, type Principal } from '@atelier/platform';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { deleteUserSessions } from '../sessions/session-repository.js';
import { revokeAllUserTokens } from '../tokens/token-repository.js';
import { memberEvents } from './member-events.js';
import { toMemberDto } from './member-mapper.js';
import { countOwners, deleteMembership, findMember, listMembers, updateRole } from './member-repository.js';

const MANAGERS: readonly Role[] = ['owner', 'admin'];

function requireManager(who: Principal) {
  if (!MANAGERS.includes(who.role)) throw forbiddenError('member.forbidden', 'Only an owner or admin manages members');
}

const lastOwner = () =>
  conflictError('member.last_owner', 'The agency must keep at least one owner', [{ path: 'role', message: 'cannot remove or demote the last owner' }]);

export async function listAgencyMembers(deps: IdentityDeps, who: Principal) {
  const rows = await tenantTx(deps.db, who.agencyId, (tx) => listMembers(tx));
  return rows.map(toMemberDto);
}

export async function changeRole(deps: IdentityDeps, who: Principal, userId: string, role: Role) {
  requireManager(who);
  const updated = await tenantTx(deps.db, who.agencyId, async (tx) => {
    const current = await findMember(tx, userId, true);
    if (!current) throw notFoundError('member.not_found', 'Member not found');
    // Only owners hand out or take away ownership, and an agency always keeps one owner.
    if ((role === 'owner' || current.role === 'owner') && who.role !== 'owner') throw forbiddenError('member.owner_only', 'Only an owner can change ownership');
    if (current.role === role) return current;
    if (current.role === 'owner' && (await countOwners(tx)) <= 1) throw lastOwner();
    const row = await updateRole(tx, userId, role);
    if (!row) throw notFoundError('member.not_found', 'Member not found');
    await memberEvents.updated(tx, who.agencyId, who.userId, row);
    return row;
  });
  deps.auth.evict({ userId });
  return toMemberDto(updated);
}

/** Removes a member: their sessions end and their tokens are revoked in the same transaction. */
export async function removeMember(deps: IdentityDeps, who: Principal, userId: string): Promise<void> {
  requireManager(who);
  await tenantTx(deps.db, who.agencyId, async (tx) => {
    const current = await findMember(tx, userId, true);
    if (!current) throw notFoundError('member.not_found', 'Member not found');
    if (current.role === 'owner' && who.role !== 'owner') throw forbiddenError('member.owner_only', 'Only an owner can remove an owner');
    if (current.role === 'owner' && (await countOwners(tx)) <= 1) throw lastOwner();
    const version = await deleteMembership(tx, userId);
    await deleteUserSessions(tx, userId);
    await revokeAllUserTokens(tx, userId);
    await memberEvents.removed(tx, who.agencyId, who.userId, current, version);
  });
  deps.auth.evict({ userId });
}
