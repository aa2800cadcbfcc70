import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { malformedBodies } from '@atelier/platform/testing';
import { signUp, startStack, type Browser, type Stack } from './gateway-harness.js';

let stack: Stack;
let owner: Browser;
let clientId: string;
beforeAll(async () => {
  stack = await startStack({ LOGIN_MAX_FAILURES: '1000' });
  owner = (await signUp(stack.url)).browser;
  clientId = (await owner.post('/api/clients', { name: 'Target' })).body.id;
});
afterAll(async () => {
  await stack?.stop();
});

describe('malformed input never causes a 5xx', () => {
  it('answers 200 malformed bodies across routes with 4xx problem+json', async () => {
    const targets: [string, string][] = [
      ['POST', '/api/clients'],
      ['PATCH', `/api/clients/${clientId}`],
      ['POST', '/api/auth/signup'],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/invitations'],
      ['POST', '/api/auth/tokens'],
      ['PATCH', '/api/auth/members/00000000-0000-0000-0000-000000000000'],
      ['POST', '/api/auth/invitations/inv_x/accept'],
    ];
    const bodies = malformedBodies(200);
    const statuses = new Map<number, number>();
    for (const [i, { body, contentType }] of bodies.entries()) {
      const [method, path] = targets[i % targets.length]!;
      const res = await owner.request(method, path, body, { 'content-type': contentType });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status < 400 || res.status >= 500) throw new Error(`${method} ${path} with ${body.slice(0, 80)} (${contentType}) → ${res.status}`);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    // The mix really exercised the different failure modes.
    expect(statuses.get(400)).toBeGreaterThan(50);
    expect(statuses.get(413)).toBeGreaterThan(10);
    expect(statuses.get(415)).toBeGreaterThan(10);
  });

  it('refuses NUL characters, which PostgreSQL cannot store, naming the field', async () => {
    const res = await owner.post('/api/clients', { name: 'a\u0000b' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'name', message: 'must not contain NUL characters' }]);
    expect((await owner.get('/api/clients?search=%00')).status).toBe(400);
  });

  it('rejects odd query strings and path ids with 4xx', async () => {
    for (const path of ['/api/clients?limit=abc', '/api/clients?limit=-1', '/api/clients?limit=1&limit=2', '/api/clients/%00', '/api/clients/..%2f..%2fetc', `/api/clients?search=${'x'.repeat(5000)}`, '/api/timeline?from=yesterday', '/api/timeline?clientId=1']) {
      const res = await owner.get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
