import type { LoginBody, SignupBody, UpdateProfileBody } from '@atelier/contracts';
import { conflictError, DomainError, pgErrorCode, unauthenticatedError, tenantTx, type Principal } from '@atelier/platform';
import { agencyUpdated } from '../agency/agency-events.js';
import { insertAgency } from '../agency/agency-repository.js';
import type { RequestContext } from '../identity/client.js';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { userMemberships, type ResolvedIdentity } from '../identity/identity-repository.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../identity/secrets.js';
import { memberEvents } from '../members/member-events.js';
import { bumpMemberVersion, insertMembership } from '../members/member-repository.js';
import { createSession, deleteSession } from '../sessions/session-repository.js';
import { identityToSessionInfo, toSessionInfo } from '../users/user-mapper.js';
import { findUserByEmail, insertUser, setUserName, type UserRow } from '../users/user-repository.js';

const emailTaken = () => conflictError('auth.email_taken', 'An account with this email already exists', [{ path: 'email', message: 'is already registered' }]);
const invalidCredentials = () => unauthenticatedError('auth.invalid_credentials', 'Invalid email or password');

export async function signup(deps: IdentityDeps, body: SignupBody, ctx: RequestContext) {
  await deps.limiter.hit('auth.signup_throttled', [
    { key: `signup:ip:${ctx.ip}`, limit: deps.config.RATE_LIMIT_SIGNUP_IP },
    { key: `signup:email:${body.email}`, limit: deps.config.RATE_LIMIT_SIGNUP_ACCOUNT },
  ]);
  const passwordHash = await hashPassword(body.password);
  return tenantTx(deps.db, null, async (tx) => {
      if (await findUserByEmail(tx, body.email)) throw emailTaken();
      const agency = await insertAgency(tx, body.agencyName);
      const user = await insertUser(tx, { email: body.email, name: body.name, passwordHash });
      await tx.pinAgency(agency.id);
      const owner = await insertMembership(tx, { agencyId: agency.id, userId: user.id, role: 'owner' });
      if (!owner) throw new Error('new agency already had the member');
      await agencyUpdated(tx, user.id, agency);
      await memberEvents.joined(tx, agency.id, user.id, owner);
      const sessionToken = await createSession(tx, { agencyId: agency.id, userId: user.id, ttlHours: deps.config.SESSION_TTL_HOURS, userAgent: ctx.userAgent });
      return { info: toSessionInfo(user, agency, 'owner'), sessionToken };
    })
    .catch((err: unknown) => {
      throw !(err instanceof DomainError) && pgErrorCode(err) === '23505' ? emailTaken() : err;
    });
}

const loginKey = (email: string, ip: string) => `login:${email}:${ip}`;

/**
 * The one password check of the platform (login, and accepting an invitation as an existing
 * account). The attempt is counted (per account and address, per account, per address) in the
 * same statement that decides whether it may go ahead, before the password is checked: N parallel
 * guesses get at most the limit's worth of answers, the rest 429. Unknown email and wrong password
 * answer alike.
 */
export async function verifyCredentials(deps: IdentityDeps, email: string, password: string, ctx: RequestContext): Promise<UserRow> {
  const c = deps.config;
  await deps.limiter.hit(
    'auth.login_throttled',
    [
      { key: loginKey(email, ctx.ip), limit: { max: c.LOGIN_MAX_FAILURES, windowSeconds: c.LOGIN_WINDOW_MINUTES * 60 } },
      { key: `login:account:${email}`, limit: c.RATE_LIMIT_LOGIN_ACCOUNT },
      { key: `login:ip:${ctx.ip}`, limit: c.RATE_LIMIT_LOGIN_IP },
    ],
    'Too many sign-in attempts; try again in a few minutes',
  );
  const user = await findUserByEmail(deps.db, email);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !ok) throw invalidCredentials();
  await deps.limiter.clear([loginKey(email, ctx.ip)]);
  return user;
}

export async function login(deps: IdentityDeps, body: LoginBody, ctx: RequestContext) {
  const user = await verifyCredentials(deps, body.email, body.password, ctx);
  const [membership] = await userMemberships(deps.db, user.id);
  if (!membership) throw invalidCredentials();
  const sessionToken = await tenantTx(deps.db, membership.agency_id, (tx) =>
    createSession(tx, { agencyId: membership.agency_id, userId: user.id, ttlHours: deps.config.SESSION_TTL_HOURS, userAgent: ctx.userAgent }),
  );
  return { info: toSessionInfo(user, { id: membership.agency_id, name: membership.agency_name }, membership.role), sessionToken };
}

export async function logout(deps: IdentityDeps, who: ResolvedIdentity): Promise<void> {
  if (!who.sessionId) return;
  await tenantTx(deps.db, who.agencyId, (tx) => deleteSession(tx, who.sessionId!));
  deps.auth.evict({ sessionId: who.sessionId });
}

/** Renames the user; every agency they belong to hears of it (member replicas show names). */
export async function updateProfile(deps: IdentityDeps, who: Principal & { identity: ResolvedIdentity }, body: UpdateProfileBody) {
  await tenantTx(deps.db, null, async (tx) => {
    await setUserName(tx, who.userId, body.name);
    for (const m of await userMemberships(tx, who.userId)) {
      await tx.pinAgency(m.agency_id);
      const member = await bumpMemberVersion(tx, who.userId);
      if (member) await memberEvents.updated(tx, m.agency_id, who.userId, member);
    }
  });
  deps.auth.evict({ userId: who.userId });
  return identityToSessionInfo({ ...who.identity, userName: body.name });
}
