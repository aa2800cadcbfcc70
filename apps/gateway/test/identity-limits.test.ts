import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, signUp, uniqueEmail } from './gateway-harness.js';
import { startIdentityStack, type IdentityStack } from './identity-harness.js';

// Windows of an odd length (about 11.6 days) so that no window boundary falls inside a test run.
const W = 1_000_003;
let stack: IdentityStack;
beforeAll(async () => {
  stack = await startIdentityStack({
    RATE_LIMIT_SIGNUP_IP: `3/${W}`,
    RATE_LIMIT_SIGNUP_ACCOUNT: `5/${W}`,
    RATE_LIMIT_RESET_ACCOUNT: `2/${W}`,
    RATE_LIMIT_TOKEN_CREATE_ACCOUNT: `2/${W}`,
    RATE_LIMIT_API: `6/${W}`,
  });
});
afterAll(async () => {
  await stack?.stop();
});

const expectLimited = (res: { status: number; headers: Headers; body: { code?: string } }, code: string) => {
  expect(res.status).toBe(429);
  expect(res.body.code).toBe(code);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
};

describe('rate limits beyond login, counted in Postgres', () => {
  let owner: Awaited<ReturnType<typeof signUp>>;
  let second: Awaited<ReturnType<typeof signUp>>;

  it('signup: per address', async () => {
    owner = await signUp(stack.url);
    second = await signUp(stack.url);
    await signUp(stack.url);
    const fourth = await new Browser(stack.url).post('/api/auth/signup', { agencyName: 'X', name: 'Y', email: uniqueEmail(), password: 'a long enough password' });
    expectLimited(fourth, 'auth.signup_throttled');
  });

  it('password reset: per account, the same for an email with and without an account', async () => {
    for (const email of [owner.email, uniqueEmail('nobody')]) {
      const statuses = [];
      for (let i = 0; i < 2; i++) statuses.push((await new Browser(stack.url).post('/api/auth/password-reset', { email })).status);
      expect(statuses).toEqual([202, 202]);
      expectLimited(await new Browser(stack.url).post('/api/auth/password-reset', { email }), 'auth.password_reset_throttled');
    }
  });

  it('token creation: per account', async () => {
    expect((await owner.browser.post('/api/auth/tokens', { name: 'one' })).status).toBe(201);
    expect((await owner.browser.post('/api/auth/tokens', { name: 'two' })).status).toBe(201);
    expectLimited(await owner.browser.post('/api/auth/tokens', { name: 'three' }), 'auth.token_create_throttled');
    expect((await second.browser.post('/api/auth/tokens', { name: 'theirs' })).status).toBe(201);
  });

  it('API budget: one per session, shared by every gateway replica', async () => {
    const replica = await stack.replica({ RATE_LIMIT_API: `6/${W}` });
    const session = new Browser(stack.url);
    expect((await session.post('/api/auth/login', { email: second.email, password: second.password })).status).toBe(200);
    const viaReplica = new Browser(replica.server!.url);
    viaReplica.cookie = session.cookie;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await (i % 2 ? viaReplica : session).get('/api/auth/me')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expectLimited(await session.get('/api/auth/me'), 'rate_limit.api_budget');
    expectLimited(await viaReplica.get('/api/auth/me'), 'rate_limit.api_budget');
    // Another session of the same user has a budget of its own.
    const other = new Browser(stack.url);
    await other.post('/api/auth/login', { email: second.email, password: second.password });
    expect((await other.get('/api/auth/me')).status).toBe(200);
  });
});
