import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@atelier/contracts';
import { listRoutes, undocumentedRoutes } from '@atelier/platform/testing';
import { Browser, ORIGIN, signUp, startStack, uniqueEmail, type Stack } from './gateway-harness.js';

let stack: Stack;
// An upstream this test owns that drops every connection: whatever else runs on the machine,
// projects' route then has nobody behind it.
let deadUpstream: Server;
beforeAll(async () => {
  deadUpstream = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => deadUpstream.listen(0, '127.0.0.1', resolve));
  const { port } = deadUpstream.address() as AddressInfo;
  stack = await startStack({ LOGIN_MAX_FAILURES: '10', PROJECTS_URL: `http://127.0.0.1:${port}` });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => deadUpstream?.close(resolve));
});

describe('signup, login, logout, me', () => {
  it('signs up an agency owner with an httpOnly SameSite=Lax session cookie', async () => {
    const browser = new Browser(stack.url);
    const email = uniqueEmail();
    const res = await browser.post('/api/auth/signup', { agencyName: 'Northwind Studio', name: 'Nora', email, password: 'a long enough password' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: { name: 'Nora', email }, agency: { name: 'Northwind Studio' }, role: 'owner' });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^atelier_session=ses_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const me = await browser.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body);
  });

  it('refuses a second account with the same email (any case) with 409 naming the field', async () => {
    const { email } = await signUp(stack.url);
    const res = await new Browser(stack.url).post('/api/auth/signup', { agencyName: 'X', name: 'Y', email: email.toUpperCase(), password: 'a long enough password' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ path: 'email', message: 'is already registered' }]);
  });

  it('validates signup fields with paths', async () => {
    const res = await new Browser(stack.url).post('/api/auth/signup', { agencyName: '', name: 'A', email: 'nope', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['agencyName', 'email', 'password']);
  });

  it('logs in, logs out, and a logged-out cookie is rejected', async () => {
    const { email, password, me } = await signUp(stack.url, 'Login Co');
    const browser = new Browser(stack.url);
    const login = await browser.post('/api/auth/login', { email, password });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ user: { id: me.user.id }, agency: { id: me.agency.id }, role: 'owner' });
    const cookie = browser.cookie;
    expect((await browser.post('/api/auth/logout')).status).toBe(204);
    expect(browser.cookie).toBe('');
    const stale = new Browser(stack.url);
    stale.cookie = cookie;
    expect((await stale.get('/api/auth/me')).status).toBe(401);
  });

  it('answers 401 for a wrong password or an unknown email, and unauthenticated calls', async () => {
    const { email } = await signUp(stack.url);
    const browser = new Browser(stack.url);
    expect((await browser.post('/api/auth/login', { email, password: 'wrong password!' })).status).toBe(401);
    expect((await browser.post('/api/auth/login', { email: uniqueEmail('ghost'), password: 'whatever12345' })).status).toBe(401);
    expect((await browser.get('/api/auth/me')).status).toBe(401);
    expect((await browser.get('/api/clients')).status).toBe(401);
  });

  it('throttles: after 10 failures for an email from one address, even the right password gets 429', async () => {
    const { email, password } = await signUp(stack.url);
    const browser = new Browser(stack.url);
    for (let i = 0; i < 10; i++) expect((await browser.post('/api/auth/login', { email, password: `wrong-${i}-password` })).status).toBe(401);
    const blocked = await browser.post('/api/auth/login', { email, password });
    expect(blocked.status).toBe(429);
    expect(blocked.body.title).toBe('Too Many Requests');
  });
});

describe('CSRF defence for cookie sessions', () => {
  it('refuses mutating cookie requests without Origin or with a foreign one', async () => {
    const { browser } = await signUp(stack.url);
    const noOrigin = new Browser(stack.url, null);
    noOrigin.cookie = browser.cookie;
    expect((await noOrigin.post('/api/clients', { name: 'A' })).status).toBe(403);
    const evil = new Browser(stack.url, 'https://evil.example');
    evil.cookie = browser.cookie;
    expect((await evil.post('/api/clients', { name: 'A' })).status).toBe(403);
    expect((await evil.post('/api/auth/logout')).status).toBe(403);
    expect((await new Browser(stack.url, null).post('/api/auth/login', { email: 'a@b.test', password: 'x' })).status).toBe(403);
    expect((await browser.post('/api/clients', { name: 'A' })).status).toBe(201);
    // Reads need no Origin.
    expect((await noOrigin.get('/api/clients')).status).toBe(200);
  });
});

describe('invitations and members', () => {
  it('owner invites, the invitee accepts and is signed in with the role; roles are enforced', async () => {
    const { browser: owner, me } = await signUp(stack.url, 'Invite Co');
    const email = uniqueEmail('member');
    const inv = await owner.post('/api/auth/invitations', { email, role: 'member' });
    expect(inv.status).toBe(201);
    expect(inv.body).toMatchObject({ email, role: 'member' });
    expect(inv.body.token).toMatch(/^inv_/);

    const member = new Browser(stack.url);
    const accepted = await member.post(`/api/auth/invitations/${inv.body.token}/accept`, { name: 'Max Member', password: 'another long password' });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ agency: { id: me.agency.id, name: 'Invite Co' }, role: 'member', user: { email, name: 'Max Member' } });
    expect((await member.get('/api/auth/me')).body.role).toBe('member');
    expect((await new Browser(stack.url).post(`/api/auth/invitations/${inv.body.token}/accept`, { name: 'Again', password: 'another long password' })).status).toBe(409);
    expect((await new Browser(stack.url).post('/api/auth/invitations/inv_unknown/accept', { name: 'N', password: 'another long password' })).status).toBe(404);

    // A member may not invite or change roles.
    expect((await member.post('/api/auth/invitations', { email: uniqueEmail(), role: 'member' })).status).toBe(403);
    const members = await owner.get('/api/auth/members');
    expect(members.status).toBe(200);
    expect(members.body.total).toBe(2);
    const memberId = members.body.data.find((m: { email: string }) => m.email === email).userId;
    expect((await member.patch(`/api/auth/members/${memberId}`, { role: 'admin' })).status).toBe(403);

    // The owner promotes; the new role applies to the member's next request.
    const promoted = await owner.patch(`/api/auth/members/${memberId}`, { role: 'manager' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toEqual({ userId: memberId, name: 'Max Member', email, role: 'manager' });
    expect((await member.get('/api/auth/me')).body.role).toBe('manager');
    expect((await owner.patch(`/api/auth/members/${memberId}`, { role: 'boss' })).status).toBe(400);

    // The last owner cannot be demoted; an admin cannot touch ownership.
    expect((await owner.patch(`/api/auth/members/${me.user.id}`, { role: 'admin' })).status).toBe(409);
  });

  it('hides members of other agencies (404) and refuses duplicate invitations of members', async () => {
    const a = await signUp(stack.url, 'A');
    const b = await signUp(stack.url, 'B');
    expect((await a.browser.patch(`/api/auth/members/${b.me.user.id}`, { role: 'member' })).status).toBe(404);
    expect((await a.browser.patch('/api/auth/members/not-a-uuid', { role: 'member' })).status).toBe(404);
    expect((await a.browser.post('/api/auth/invitations', { email: a.email, role: 'admin' })).status).toBe(409);
  });

  it('an admin cannot invite an owner', async () => {
    const { browser: owner } = await signUp(stack.url);
    const adminEmail = uniqueEmail('admin');
    const inv = await owner.post('/api/auth/invitations', { email: adminEmail, role: 'admin' });
    const admin = new Browser(stack.url);
    await admin.post(`/api/auth/invitations/${inv.body.token}/accept`, { name: 'Ada Admin', password: 'another long password' });
    expect((await admin.post('/api/auth/invitations', { email: uniqueEmail(), role: 'owner' })).status).toBe(403);
    expect((await admin.post('/api/auth/invitations', { email: uniqueEmail(), role: 'manager' })).status).toBe(201);
  });
});

describe('personal API tokens', () => {
  it('creates a token shown once that works as a Bearer credential without Origin', async () => {
    const { browser, me } = await signUp(stack.url, 'Token Co');
    const created = await browser.post('/api/auth/tokens', { name: 'CI script' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'CI script' });
    expect(created.body.token).toMatch(/^atl_/);
    const bearer = new Browser(stack.url, null);
    const auth = { authorization: `Bearer ${created.body.token}` };
    expect((await bearer.get('/api/auth/me', auth)).body.agency.id).toBe(me.agency.id);
    const client = await bearer.request('POST', '/api/clients', { name: 'Via token' }, auth);
    expect(client.status).toBe(201);
    expect((await bearer.get('/api/auth/me', { authorization: 'Bearer atl_wrong' })).status).toBe(401);
    expect((await browser.post('/api/auth/tokens', { name: '' })).body.errors[0].path).toBe('name');
  });
});

describe('edge', () => {
  it('serves OpenAPI 3.1 covering every routed prefix and identity route', async () => {
    const res = await new Browser(stack.url).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const path of ['/api/auth/signup', '/api/auth/invitations/{token}/accept', '/api/auth/members/{userId}', '/api/clients', '/api/clients/{id}', '/api/timeline']) {
      expect(res.body.paths).toHaveProperty([path]);
    }
    expect(res.body.paths['/api/clients'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateClientBody' });
    expect(res.body.components.schemas.CreateClientBody.properties).toHaveProperty('name');
  });

  it('documents every route the gateway serves itself', () => {
    const served = listRoutes(stack.gateway.app).filter((r) => r.includes('/api/'));
    expect(served.length).toBeGreaterThan(8);
    expect(undocumentedRoutes(served, routes)).toEqual([]);
  });

  it('answers unknown API paths with problem+json 404 and strips forged internal tokens', async () => {
    const { browser } = await signUp(stack.url);
    const res = await browser.get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const forged = await new Browser(stack.url).get('/api/clients', { 'x-atelier-internal-token': 'forged.token' });
    expect(forged.status).toBe(401);
  });

  it('maps an unreachable upstream to 502 problem+json', async () => {
    const { browser } = await signUp(stack.url);
    const res = await browser.get('/api/projects');
    expect(res.status).toBe(502);
    expect(res.body.title).toBe('Bad Gateway');
  });

  it('has healthz and readyz', async () => {
    const b = new Browser(stack.url);
    expect((await b.get('/healthz')).status).toBe(200);
    const ready = await b.get('/readyz');
    expect(ready.body.checks.database).toBe('ok');
    expect(ready.body.checks.crm).toBe('ok');
  });

  it('is the only one to sign internal tokens: a direct call to a service without one is 401', async () => {
    const res = await fetch(`${stack.crm.url}/api/clients`);
    expect(res.status).toBe(401);
  });

  it('uses the same Origin rules for the app origin it was addressed by', async () => {
    const { browser } = await signUp(stack.url);
    const self = new Browser(stack.url, stack.url);
    self.cookie = browser.cookie;
    expect((await self.post('/api/clients', { name: 'Same origin' })).status).toBe(201);
    expect(ORIGIN).not.toBe(stack.url);
  });
});
