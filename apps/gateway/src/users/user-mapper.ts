import type { Role, SessionInfo } from '@atelier/contracts';
import type { ResolvedIdentity } from '../identity/identity-repository.js';
import type { UserRow } from './user-repository.js';

export const toSessionInfo = (user: Pick<UserRow, 'id' | 'name' | 'email'>, agency: { id: string; name: string }, role: Role): SessionInfo => ({
  user: { id: user.id, name: user.name, email: user.email },
  agency: { id: agency.id, name: agency.name },
  role,
});

export const identityToSessionInfo = (i: ResolvedIdentity): SessionInfo =>
  toSessionInfo({ id: i.userId, name: i.userName, email: i.userEmail }, { id: i.agencyId, name: i.agencyName }, i.role);
