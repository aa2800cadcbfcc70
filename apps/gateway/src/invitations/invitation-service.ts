import type { AcceptInvitationBody, CreateInvitationBody } from '@atelier/contracts';
import { conflictError, DomainError, forbiddenError, invalid, notFoundError, pgErrorCode, tenantTx, type Principal, type Tx } from '@atelier/platform';
import { verifyCredentials } from '../auth/auth-service.js';
import { appOrigin } from '../config.js';
import type { Authenticated } from '../identity/authenticate.js';
import type { RequestContext } from '../identity/client.js';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { invitationMail } from '../identity/identity-mail.js';
import { queueMail } from '../identity/mail-job.js';
import { hashPassword, hashSecret, newSecret } from '../identity/secrets.js';
import { memberEvents } from '../members/member-events.js';
import { findMemberByEmail, insertMembership } from '../members/member-repository.js';
import { createSession } from '../sessions/session-repository.js';
import { toSessionInfo } from '../users/user-mapper.js';
import { findUserByEmail, findUserById, insertUser } from '../users/user-repository.js';
import { toCreatedInvitationDto, toInvitationPreviewDto, toPendingInvitationDto } from './invitation-mapper.js';
import {
  deletePendingInvitation,
  findInvitationByToken,
  insertInvitation,
  listPendingInvitations,
  markAccepted,
  renewInvitation,
  type InvitationByToken,
  type InvitationRow,
} from './invitation-repository.js';

const notFound = () => notFoundError('invitation.not_found', 'Invitation not found');
const signInRequired = () =>
  conflictError('invitation.sign_in_required', 'Sign in with the invited email address to accept this invitation');

function requireManager(who: Principal) {
  if (who.role !== 'owner' && who.role !== 'admin') throw forbiddenError('invitation.forbidden', 'Only an owner or admin invites people');
}

const inviteLink = (deps: IdentityDeps, token: string) => `${appOrigin(deps.config)}/invite/${encodeURIComponent(token)}`;

/** Queues the invitation mail in the invitation's transaction (see mail-job.ts). */
function queueInvitation(deps: IdentityDeps, tx: Tx, who: Inviter, row: InvitationRow, token: string) {
  return queueMail(
    deps.jobs,
    tx,
    who.agencyId,
    invitationMail({ to: row.email, agencyName: who.agencyName, inviterName: who.name, role: row.role, link: inviteLink(deps, token), expiresAt: row.expiresAt }),
  );
}

type Inviter = Principal & { name: string; agencyName: string };

export async function createInvitation(deps: IdentityDeps, who: Inviter, body: CreateInvitationBody) {
  requireManager(who);
  if (body.role === 'owner' && who.role !== 'owner') throw forbiddenError('invitation.owner_only', 'Only an owner can invite another owner');
  const { token, hash } = newSecret('inv');
  const row = await tenantTx(deps.db, who.agencyId, async (tx) => {
    if (await findMemberByEmail(tx, body.email)) {
      throw conflictError('invitation.already_member', 'This person is already a member', [{ path: 'email', message: 'is already a member of this agency' }]);
    }
    const created = await insertInvitation(tx, { agencyId: who.agencyId, email: body.email, role: body.role, tokenHash: hash, invitedBy: who.userId, ttlDays: deps.config.INVITATION_TTL_DAYS });
    await queueInvitation(deps, tx, who, created, token);
    return created;
  });
  deps.jobs.wake();
  return toCreatedInvitationDto(row, token);
}

export async function listInvitations(deps: IdentityDeps, who: Principal) {
  requireManager(who);
  const rows = await tenantTx(deps.db, who.agencyId, (tx) => listPendingInvitations(tx));
  return rows.map(toPendingInvitationDto);
}

export async function revokeInvitation(deps: IdentityDeps, who: Principal, id: string): Promise<void> {
  requireManager(who);
  if (!(await tenantTx(deps.db, who.agencyId, (tx) => deletePendingInvitation(tx, id)))) throw notFound();
}

/** A fresh link (the old one stops working) and a new email. */
export async function resendInvitation(deps: IdentityDeps, who: Inviter, id: string) {
  requireManager(who);
  const { token, hash } = newSecret('inv');
  const row = await tenantTx(deps.db, who.agencyId, async (tx) => {
    const renewed = await renewInvitation(tx, id, hash, deps.config.INVITATION_TTL_DAYS);
    if (!renewed) throw notFound();
    await queueInvitation(deps, tx, who, renewed, token);
    return renewed;
  });
  deps.jobs.wake();
  return toCreatedInvitationDto(row, token);
}

/** Counts an attempt on an invitation link (per address and per invitation) before anything is looked up. */
async function throttle(deps: IdentityDeps, tokenHash: string, ctx: RequestContext) {
  await deps.limiter.hit('invitation.accept_throttled', [
    { key: `accept:ip:${ctx.ip}`, limit: deps.config.RATE_LIMIT_ACCEPT_IP },
    { key: `accept:inv:${tokenHash}`, limit: deps.config.RATE_LIMIT_ACCEPT_INVITATION },
  ]);
}

async function openInvitation(deps: IdentityDeps, token: string, ctx: RequestContext): Promise<InvitationByToken> {
  const tokenHash = hashSecret(token);
  await throttle(deps, tokenHash, ctx);
  const invitation = await findInvitationByToken(deps.db, tokenHash);
  if (!invitation) throw notFound();
  if (invitation.accepted_at) throw conflictError('invitation.already_accepted', 'This invitation has already been accepted');
  if (new Date(invitation.expires_at) <= new Date()) throw conflictError('invitation.expired', 'This invitation has expired; ask for a new one');
  return invitation;
}

export async function previewInvitation(deps: IdentityDeps, token: string, ctx: RequestContext) {
  return toInvitationPreviewDto(await openInvitation(deps, token, ctx));
}

/**
 * Accepting joins the invited email's account to the agency and signs it in there. The body says
 * how the caller proves who they are, and this route never adds a password check of its own:
 * - `{}` while signed in as the invited email's account;
 * - `{ password }`: sign in as the invited email through the throttled login check (unknown email
 *   and wrong password answer alike, 401);
 * - `{ name, password }`: create the account. If the email has one, 409 `invitation.sign_in_required`
 *   (signup answers an existing email the same way) and the password is not looked at.
 */
export async function acceptInvitation(deps: IdentityDeps, token: string, body: AcceptInvitationBody, caller: Authenticated | null, ctx: RequestContext) {
  const invitation = await openInvitation(deps, token, ctx);
  if (caller && body.password === undefined) {
    if (caller.identity.userEmail.toLowerCase() !== invitation.email.toLowerCase()) {
      throw forbiddenError('invitation.other_account', 'This invitation is for another email address; sign in with that address to accept it');
    }
    const user = await findUserById(deps.db, caller.identity.userId);
    if (!user) throw notFound();
    return join(deps, invitation, user, ctx);
  }
  if (body.password === undefined) {
    throw invalid('invitation.fields_required', 'Sign in, or send a password (and a name for a new account)', [{ path: 'password', message: 'is required' }]);
  }
  if (body.name === undefined) return join(deps, invitation, await verifyCredentials(deps, invitation.email, body.password, ctx), ctx);
  if (await findUserByEmail(deps.db, invitation.email)) throw signInRequired();
  const passwordHash = await hashPassword(body.password);
  return join(deps, invitation, { email: invitation.email, name: body.name, passwordHash }, ctx);
}

async function join(
  deps: IdentityDeps,
  invitation: InvitationByToken,
  account: { id: string; email: string; name: string } | { email: string; name: string; passwordHash: string },
  ctx: RequestContext,
) {
  const result = await tenantTx(deps.db, null, async (tx) => {
      const user = 'id' in account ? account : await insertUser(tx, account);
      await tx.pinAgency(invitation.agency_id);
      if (!(await markAccepted(tx, invitation.id))) throw conflictError('invitation.already_accepted', 'This invitation has already been accepted');
      const joined = await insertMembership(tx, { agencyId: invitation.agency_id, userId: user.id, role: invitation.role });
      if (joined) await memberEvents.joined(tx, invitation.agency_id, user.id, joined);
      const role = joined?.role ?? (await findMemberByEmail(tx, invitation.email))?.role ?? invitation.role;
      const sessionToken = await createSession(tx, { agencyId: invitation.agency_id, userId: user.id, ttlHours: deps.config.SESSION_TTL_HOURS, userAgent: ctx.userAgent });
      return { info: toSessionInfo(user, { id: invitation.agency_id, name: invitation.agency_name }, role), sessionToken };
    })
    .catch((err: unknown) => {
      // Two first-time accepts for one email raced: the loser is told to sign in, like anyone whose account exists.
      if (!(err instanceof DomainError) && pgErrorCode(err) === '23505') throw signInRequired();
      throw err;
    });
  if ('id' in account) deps.auth.evict({ userId: account.id });
  return result;
}
