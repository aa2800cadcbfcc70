import { invalid, notFoundError, tenantTx } from '@atelier/platform';
import { appOrigin } from '../config.js';
import type { RequestContext } from '../identity/client.js';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { passwordResetMail } from '../identity/identity-mail.js';
import { userMemberships, type ResolvedIdentity } from '../identity/identity-repository.js';
import { queueMail } from '../identity/mail-job.js';
import { hashPassword, hashSecret, newSecret, verifyPassword } from '../identity/secrets.js';
import { endSessionsEverywhere } from '../sessions/user-sessions.js';
import { findUserByEmail, findUserById, setPasswordHash } from '../users/user-repository.js';
import { closePasswordResets, consumePasswordReset, insertPasswordReset } from './password-repository.js';

/** Changing the password ends the user's other sessions in every agency; the current one stays. */
export async function changePassword(deps: IdentityDeps, who: ResolvedIdentity, body: { currentPassword: string; newPassword: string }) {
  await deps.limiter.hit('auth.password_change_throttled', [{ key: `password:${who.userId}`, limit: deps.config.RATE_LIMIT_PASSWORD_CHANGE_ACCOUNT }]);
  const user = await findUserById(deps.db, who.userId);
  if (!user || !(await verifyPassword(user.passwordHash, body.currentPassword))) {
    throw invalid('auth.wrong_password', 'The current password is not right', [{ path: 'currentPassword', message: 'is not your current password' }]);
  }
  const passwordHash = await hashPassword(body.newPassword);
  await tenantTx(deps.db, null, async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash);
    await closePasswordResets(tx, user.id);
    await endSessionsEverywhere(tx, user.id, who.sessionId);
  });
  deps.auth.evict({ userId: user.id });
}

/**
 * Always the same answer (202) whether or not the email has an account; the link goes out by
 * email only. Requests are limited per address and per email, which reveals nothing either.
 */
export async function requestPasswordReset(deps: IdentityDeps, email: string, ctx: RequestContext): Promise<void> {
  await deps.limiter.hit('auth.password_reset_throttled', [
    { key: `reset:ip:${ctx.ip}`, limit: deps.config.RATE_LIMIT_RESET_IP },
    { key: `reset:email:${email}`, limit: deps.config.RATE_LIMIT_RESET_ACCOUNT },
  ]);
  const user = await findUserByEmail(deps.db, email);
  if (!user) return;
  const { token, hash } = newSecret('pwr');
  const link = `${appOrigin(deps.config)}/reset-password/${encodeURIComponent(token)}`;
  const mail = passwordResetMail({ to: user.email, link, validMinutes: deps.config.PASSWORD_RESET_TTL_MINUTES });
  const reset = { userId: user.id, tokenHash: hash, ttlMinutes: deps.config.PASSWORD_RESET_TTL_MINUTES };
  // Jobs belong to an agency; the user's first one carries the mail. A user in no agency (every
  // membership removed) gets it sent from this process, with retries.
  const [home] = await userMemberships(deps.db, user.id);
  if (!home) {
    await insertPasswordReset(deps.db, reset);
    deps.mailer.deliver(mail);
    return;
  }
  await tenantTx(deps.db, home.agency_id, async (tx) => {
    await insertPasswordReset(tx, reset);
    await queueMail(deps.jobs, tx, home.agency_id, mail);
  });
  deps.jobs.wake();
}

/** Sets a new password from a reset link (once, within its lifetime); every session of the user ends. */
export async function resetPassword(deps: IdentityDeps, token: string, password: string, ctx: RequestContext): Promise<void> {
  await deps.limiter.hit('auth.password_reset_throttled', [{ key: `reset:ip:${ctx.ip}`, limit: deps.config.RATE_LIMIT_RESET_IP }]);
  const passwordHash = await hashPassword(password);
  const userId = await tenantTx(deps.db, null, async (tx) => {
    const id = await consumePasswordReset(tx, hashSecret(token));
    if (!id) throw notFoundError('password_reset.invalid', 'This reset link is invalid, used or expired; ask for a new one');
    await setPasswordHash(tx, id, passwordHash);
    await closePasswordResets(tx, id);
    await endSessionsEverywhere(tx, id);
    return id;
  });
  deps.auth.evict({ userId });
}
