import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, waitFor } from '@atelier/platform/testing';
import { Browser, ORIGIN, signUp, uniqueEmail } from './gateway-harness.js';
import { startIdentityStack, type IdentityStack } from './identity-harness.js';

const AUTH_CACHE_MS = 400;
let stack: IdentityStack;
beforeAll(async () => {
  stack = await startIdentityStack({ AUTH_CACHE_MS: String(AUTH_CACHE_MS), LOGIN_MAX_FAILURES: '10', RATE_LIMIT_ACCEPT_INVITATION: '6/900' });
});
afterAll(async () => {
  await stack?.stop();
});

const PASSWORD = 'correct horse battery';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function invite(owner: Browser, email: string, role = 'member') {
  const res = await owner.post('/api/auth/invitations', { email, role });
  expect(res.status).toBe(201);
  return res.body as { id: string; token: string };
}

async function joinAsNewMember(owner: Browser, name = 'Max Member') {
  const email = uniqueEmail('member');
  const { token } = await invite(owner, email);
  const member = new Browser(stack.url);
  const accepted = await member.post(`/api/auth/invitations/${token}/accept`, { name, password: PASSWORD });
  expect(accepted.status).toBe(201);
  return { member, email, userId: accepted.body.user.id as string };
}

describe('defect 1: invitation acceptance is no password oracle', () => {
  it('an existing account cannot join by sending a password, even the right one; signed in as that account it joins', async () => {
    const victim = await signUp(stack.url, 'Victim Studio');
    const attacker = await signUp(stack.url, 'Attacker Studio');
    const { token } = await invite(attacker.browser, victim.email, 'admin');

    for (const password of ['wrong guess 123', victim.password]) {
      const res = await new Browser(stack.url).post(`/api/auth/invitations/${token}/accept`, { name: 'Whoever', password });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('invitation.sign_in_required');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const members = await attacker.browser.get('/api/auth/members');
    expect(members.body.data.map((m: { email: string }) => m.email)).not.toContain(victim.email);

    // Not signed in and no password: nothing to go on. Signed in as someone else: refused.
    const nothing = await new Browser(stack.url).post(`/api/auth/invitations/${token}/accept`, {});
    expect(nothing.status).toBe(400);
    expect(nothing.body.errors).toEqual([{ path: 'password', message: 'is required' }]);
    expect((await attacker.browser.post(`/api/auth/invitations/${token}/accept`, {})).body.code).toBe('invitation.other_account');

    // The invitee, signed in through the throttled login, accepts with an empty body.
    const accepted = await victim.browser.post(`/api/auth/invitations/${token}/accept`, {});
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ user: { email: victim.email }, agency: { id: attacker.me.agency.id }, role: 'admin' });
    expect((await victim.browser.get('/api/auth/me')).body.agency.id).toBe(attacker.me.agency.id);
  });

  it('accepting with a password alone is the login check itself: same 401 for a wrong password or no account, same throttle', async () => {
    const existing = await signUp(stack.url);
    const { browser: owner } = await signUp(stack.url);
    const forExisting = await invite(owner, existing.email);
    const forNobody = await invite(owner, uniqueEmail('nobody'));
    const wrong = await new Browser(stack.url).post(`/api/auth/invitations/${forExisting.token}/accept`, { password: 'not the password' });
    const nobody = await new Browser(stack.url).post(`/api/auth/invitations/${forNobody.token}/accept`, { password: 'not the password' });
    expect([wrong.status, nobody.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual(nobody.body);
    expect(wrong.body.code).toBe('auth.invalid_credentials');
    // Failures here count against the login limit of that account (10): login itself is throttled next.
    for (let i = 0; i < 9; i++) await new Browser(stack.url).post('/api/auth/login', { email: existing.email, password: `wrong ${i} password` });
    expect((await new Browser(stack.url).post('/api/auth/login', { email: existing.email, password: existing.password })).status).toBe(429);
    const other = await signUp(stack.url);
    const forOther = await invite(owner, other.email, 'manager');
    const joined = await new Browser(stack.url).post(`/api/auth/invitations/${forOther.token}/accept`, { password: other.password });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ user: { email: other.email }, role: 'manager' });
  });

  it('nothing about an invitation tells whether its email has an account', async () => {
    const existing = await signUp(stack.url);
    const { browser: owner } = await signUp(stack.url);
    const forExisting = await invite(owner, existing.email);
    const forNew = await invite(owner, uniqueEmail('newcomer'));
    const a = await new Browser(stack.url).get(`/api/auth/invitations/${forExisting.token}`);
    const b = await new Browser(stack.url).get(`/api/auth/invitations/${forNew.token}`);
    expect(a.status).toBe(200);
    expect(Object.keys(a.body).sort()).toEqual(Object.keys(b.body).sort());
    expect(Object.keys(a.body).sort()).toEqual(['agency', 'email', 'expiresAt', 'role']);
  });

  it('throttles repeated attempts on one invitation like login (429 with Retry-After)', async () => {
    const { browser: owner } = await signUp(stack.url);
    const existing = await signUp(stack.url);
    const { token } = await invite(owner, existing.email);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const res = await new Browser(stack.url).post(`/api/auth/invitations/${token}/accept`, { name: 'Guess', password: `guess number ${i}` });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([409, 409, 409, 409, 409, 409, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('defect 3: login throttling is atomic and decided before the password check', () => {
  it('20 parallel wrong passwords: exactly the limit get 401, the rest 429', async () => {
    const { email } = await signUp(stack.url);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => new Browser(stack.url).post('/api/auth/login', { email, password: `wrong password ${i}` })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const limited = replies.find((r) => r.status === 429)!;
    expect(limited.body.code).toBe('auth.login_throttled');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a successful sign-in clears the count for that account and address', async () => {
    const { email, password } = await signUp(stack.url);
    for (let i = 0; i < 9; i++) expect((await new Browser(stack.url).post('/api/auth/login', { email, password: `nope nope ${i}` })).status).toBe(401);
    expect((await new Browser(stack.url).post('/api/auth/login', { email, password })).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await new Browser(stack.url).post('/api/auth/login', { email, password: `again nope ${i}` })).status).toBe(401);
  });
});

describe('defect 4: tokens, members and sessions can be cut off', () => {
  it('lists own tokens without secrets, revokes at once, and honours expiry', async () => {
    const { browser } = await signUp(stack.url);
    const created = await browser.post('/api/auth/tokens', { name: 'CI', expiresInDays: 30 });
    expect(created.status).toBe(201);
    expect(Date.parse(created.body.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const api = new Browser(stack.url, null);
    expect((await api.get('/api/auth/me', bearer(created.body.token))).status).toBe(200);

    const list = await browser.get('/api/auth/tokens');
    expect(list.body.data).toEqual([{ id: created.body.id, name: 'CI', createdAt: expect.any(String), lastUsedAt: expect.any(String), expiresAt: created.body.expiresAt }]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);

    expect((await browser.delete(`/api/auth/tokens/${created.body.id}`)).status).toBe(204);
    expect((await api.get('/api/auth/me', bearer(created.body.token))).status).toBe(401);
    expect((await browser.delete(`/api/auth/tokens/${created.body.id}`)).status).toBe(404);
    expect((await browser.get('/api/auth/tokens')).body.data).toEqual([]);

    const expiring = await browser.post('/api/auth/tokens', { name: 'Short' });
    expect(expiring.body.expiresAt).toBeNull();
    await stack.admin`update identity.api_tokens set expires_at = now() - interval '1 second' where id = ${expiring.body.id}`;
    await new Promise((r) => setTimeout(r, AUTH_CACHE_MS));
    expect((await api.get('/api/auth/me', bearer(expiring.body.token))).status).toBe(401);
  });

  it("another member's token cannot be revoked, and another agency's is invisible (404)", async () => {
    const a = await signUp(stack.url);
    const b = await signUp(stack.url);
    const token = await b.browser.post('/api/auth/tokens', { name: 'B' });
    expect((await a.browser.delete(`/api/auth/tokens/${token.body.id}`)).status).toBe(404);
    expect((await a.browser.post('/api/auth/tokens', { name: '' })).body.errors).toEqual([{ path: 'name', message: 'is required' }]);
    expect((await a.browser.post('/api/auth/tokens', { name: 'x', expiresInDays: 0 })).body.errors[0].path).toBe('expiresInDays');
  });

  it('removing a member ends their sessions and tokens at once here and on every replica within AUTH_CACHE_MS', async () => {
    const { browser: owner, me } = await signUp(stack.url, 'Removal Co');
    const { member, userId } = await joinAsNewMember(owner);
    const token = (await member.post('/api/auth/tokens', { name: 'script' })).body.token as string;
    const replica = await stack.replica({ AUTH_CACHE_MS: String(AUTH_CACHE_MS) });
    const viaReplica = new Browser(replica.server!.url);
    viaReplica.cookie = member.cookie;
    const tokenViaReplica = new Browser(replica.server!.url, null);
    // Both credentials are now cached on the replica.
    expect((await viaReplica.get('/api/auth/me')).status).toBe(200);
    expect((await tokenViaReplica.get('/api/auth/me', bearer(token))).status).toBe(200);

    expect((await member.delete(`/api/auth/members/${me.user.id}`)).status).toBe(403);
    expect((await owner.delete(`/api/auth/members/${userId}`)).status).toBe(204);
    expect((await member.get('/api/auth/me')).status).toBe(401);
    expect((await new Browser(stack.url, null).get('/api/auth/me', bearer(token))).status).toBe(401);

    const removedAt = Date.now();
    await waitFor(async () => (await viaReplica.get('/api/auth/me')).status === 401, AUTH_CACHE_MS * 10);
    await waitFor(async () => (await tokenViaReplica.get('/api/auth/me', bearer(token))).status === 401, AUTH_CACHE_MS * 10);
    await new Promise((r) => setTimeout(r, Math.max(0, removedAt + AUTH_CACHE_MS - Date.now())));
    // Past AUTH_CACHE_MS nothing may let them in: every replica has re-read the database.
    expect((await viaReplica.get('/api/auth/me')).status).toBe(401);
    expect((await tokenViaReplica.get('/api/auth/me', bearer(token))).status).toBe(401);
    const members = await owner.get('/api/auth/members');
    expect(members.body.data.map((m: { userId: string }) => m.userId)).toEqual([me.user.id]);
    expect((await owner.delete(`/api/auth/members/${userId}`)).status).toBe(404);
  });

  it('guards removal: the last owner stays, an admin cannot remove an owner, other agencies are 404', async () => {
    const { browser: owner, me } = await signUp(stack.url);
    const other = await signUp(stack.url);
    const email = uniqueEmail('admin');
    const { token } = await invite(owner, email, 'admin');
    const admin = new Browser(stack.url);
    expect((await admin.post(`/api/auth/invitations/${token}/accept`, { name: 'Ada Admin', password: PASSWORD })).status).toBe(201);
    expect((await admin.delete(`/api/auth/members/${me.user.id}`)).status).toBe(403);
    const last = await owner.delete(`/api/auth/members/${me.user.id}`);
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('member.last_owner');
    expect((await owner.delete(`/api/auth/members/${other.me.user.id}`)).status).toBe(404);
  });

  it('changing the password ends the other sessions but keeps this one', async () => {
    const { browser, email, password } = await signUp(stack.url);
    const laptop = new Browser(stack.url);
    expect((await laptop.post('/api/auth/login', { email, password })).status).toBe(200);
    const wrong = await browser.post('/api/auth/password', { currentPassword: 'not it at all', newPassword: 'a brand new password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'currentPassword', message: 'is not your current password' }]);
    expect((await browser.post('/api/auth/password', { currentPassword: password, newPassword: 'short' })).body.errors[0].path).toBe('newPassword');

    expect((await browser.post('/api/auth/password', { currentPassword: password, newPassword: 'a brand new password' })).status).toBe(204);
    expect((await browser.get('/api/auth/me')).status).toBe(200);
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await new Browser(stack.url).post('/api/auth/login', { email, password })).status).toBe(401);
    expect((await new Browser(stack.url).post('/api/auth/login', { email, password: 'a brand new password' })).status).toBe(200);
  });

  it('lists own sessions with device and last seen, and signs out one or every other', async () => {
    const { browser, email, password } = await signUp(stack.url);
    const firefox = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0';
    const phone = new Browser(stack.url);
    await phone.post('/api/auth/login', { email, password }, { 'user-agent': firefox });
    const tablet = new Browser(stack.url);
    await tablet.post('/api/auth/login', { email, password });

    const list = await browser.get('/api/auth/sessions');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(3);
    expect(list.body.data.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const firefoxSession = list.body.data.find((s: { userAgent: string }) => s.userAgent === firefox);
    expect(firefoxSession).toMatchObject({ device: 'Firefox on macOS', lastSeenAt: expect.any(String), expiresAt: expect.any(String) });

    expect((await browser.delete(`/api/auth/sessions/${firefoxSession.id}`)).status).toBe(204);
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect((await browser.delete(`/api/auth/sessions/${firefoxSession.id}`)).status).toBe(404);
    const stranger = await signUp(stack.url);
    const strangerSession = (await stranger.browser.get('/api/auth/sessions')).body.data[0].id;
    expect((await browser.delete(`/api/auth/sessions/${strangerSession}`)).status).toBe(404);
    expect((await stranger.browser.get('/api/auth/me')).status).toBe(200);

    expect((await browser.delete('/api/auth/sessions')).status).toBe(204);
    expect((await tablet.get('/api/auth/me')).status).toBe(401);
    expect((await browser.get('/api/auth/sessions')).body.total).toBe(1);
  });

  it('ends a session that was idle longer than SESSION_IDLE_HOURS, before its absolute expiry', async () => {
    const { browser, me } = await signUp(stack.url);
    await stack.admin`update identity.sessions set last_seen_at = now() - interval '25 hours' where user_id = ${me.user.id}`;
    await new Promise((r) => setTimeout(r, AUTH_CACHE_MS));
    expect((await browser.get('/api/auth/me')).status).toBe(401);
  });

  it('resets a password by email: 202 whatever the email, single-use link, 1 hour, every session ends', async () => {
    const { browser, email } = await signUp(stack.url);
    const ghost = uniqueEmail('ghost');
    const unknown = await new Browser(stack.url).post('/api/auth/password-reset', { email: ghost });
    const known = await new Browser(stack.url).post('/api/auth/password-reset', { email: email.toUpperCase() });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);

    const mail = await stack.smtp.next((m) => m.rcptTo.includes(email));
    expect(mail.parsed.subject).toBe('Reset your Atelier password');
    expect(mail.parsed.html).toContain('/reset-password/');
    const link = linkIn(mail, `${ORIGIN}/reset-password/`);
    const token = decodeURIComponent(link.split('/').pop()!);

    expect((await new Browser(stack.url).post(`/api/auth/password-reset/${token}`, { password: 'short' })).status).toBe(400);
    expect((await new Browser(stack.url).post(`/api/auth/password-reset/${token}`, { password: 'my reset password' })).status).toBe(204);
    expect((await browser.get('/api/auth/me')).status).toBe(401);
    const reused = await new Browser(stack.url).post(`/api/auth/password-reset/${token}`, { password: 'another reset password' });
    expect(reused.status).toBe(404);
    expect(reused.body.code).toBe('password_reset.invalid');
    expect((await new Browser(stack.url).post('/api/auth/login', { email, password: 'my reset password' })).status).toBe(200);
    await stack.gateway.mailer.idle();
    expect(stack.smtp.to(ghost)).toEqual([]);

    // A link older than an hour no longer works.
    await new Browser(stack.url).post('/api/auth/password-reset', { email });
    const second = await waitFor(() => stack.smtp.to(email)[1]);
    const oldToken = decodeURIComponent(linkIn(second, `${ORIGIN}/reset-password/`).split('/').pop()!);
    await stack.admin`update identity.password_resets set created_at = now() - interval '61 minutes', expires_at = now() - interval '1 minute' where used_at is null`;
    expect((await new Browser(stack.url).post(`/api/auth/password-reset/${oldToken}`, { password: 'too late password' })).status).toBe(404);
  });
});

describe('invitations by email', () => {
  it('emails the link; the emailed link accepts; pending invitations can be listed, resent and revoked', async () => {
    const { browser: owner } = await signUp(stack.url, 'Mail Co');
    const email = uniqueEmail('colleague');
    const created = await invite(owner, email, 'manager');
    const mail = await stack.smtp.next((m) => m.rcptTo.includes(email));
    expect(mail.parsed.subject).toBe('Olivia Owner invited you to Mail Co on Atelier');
    const link = linkIn(mail, `${ORIGIN}/invite/`);
    expect(decodeURIComponent(link.split('/').pop()!)).toBe(created.token);

    const pending = await owner.get('/api/auth/invitations');
    expect(pending.body.data).toEqual([{ id: created.id, email, role: 'manager', invitedBy: 'Olivia Owner', createdAt: expect.any(String), expiresAt: expect.any(String) }]);

    const resent = await owner.post(`/api/auth/invitations/${created.id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body.token).not.toBe(created.token);
    expect((await new Browser(stack.url).get(`/api/auth/invitations/${created.token}`)).status).toBe(404);
    const again = await waitFor(() => stack.smtp.to(email)[1]);
    expect(linkIn(again, `${ORIGIN}/invite/`)).toContain(encodeURIComponent(resent.body.token));

    const accepted = await new Browser(stack.url).post(`/api/auth/invitations/${resent.body.token}/accept`, { name: 'Cole League', password: PASSWORD });
    expect(accepted.status).toBe(201);
    expect(accepted.body.role).toBe('manager');
    expect((await owner.get('/api/auth/invitations')).body.data).toEqual([]);

    const revoked = await invite(owner, uniqueEmail('revoked'));
    expect((await owner.delete(`/api/auth/invitations/${revoked.id}`)).status).toBe(204);
    expect((await new Browser(stack.url).post(`/api/auth/invitations/${revoked.token}/accept`, { name: 'Late', password: PASSWORD })).status).toBe(404);
    expect((await owner.delete(`/api/auth/invitations/${revoked.id}`)).status).toBe(404);
  });

  it('keeps pending invitations to owners and admins, and other agencies out (403, 404)', async () => {
    const { browser: owner } = await signUp(stack.url);
    const other = await signUp(stack.url);
    const created = await invite(owner, uniqueEmail('x'));
    expect((await other.browser.delete(`/api/auth/invitations/${created.id}`)).status).toBe(404);
    expect((await other.browser.post(`/api/auth/invitations/${created.id}/resend`)).status).toBe(404);
    const { member } = await joinAsNewMember(owner);
    expect((await member.get('/api/auth/invitations')).status).toBe(403);
    expect((await member.delete(`/api/auth/invitations/${created.id}`)).status).toBe(403);
  });
});
