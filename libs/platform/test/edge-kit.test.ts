import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createApp,
  createLogger,
  DEV_INTERNAL_TOKEN_SECRET,
  INTERNAL_TOKEN_HEADER,
  internalAuth,
  listen,
  loadConfig,
  requireUser,
  serviceEnv,
  signInternalToken,
  unsafePathReason,
  type RunningServer,
} from '../src/index.js';
import { newPrincipal } from '../src/testing/index.js';

const SECRET = 'edge-kit-test-secret-0123456789abcdefghij';
const logger = createLogger('edge-kit', 'silent');

/** A request with the path exactly as given (fetch would resolve dot segments first). */
function rawRequest(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A billing-like app: internal auth for aud billing, one public route, one user route. */
function billingApp(https = false) {
  return createApp({
    logger,
    https,
    before: (a) => {
      a.use(internalAuth(SECRET, 'billing'));
      a.get('/api/public/ping', (_req, res) => {
        res.json({ system: res.locals.system === true });
      });
      a.use(requireUser());
    },
    routes: (a) => {
      a.get('/api/private', (_req, res) => {
        res.json({ agencyId: res.locals.principal.agencyId });
      });
    },
  });
}

let plain: RunningServer;
let secure: RunningServer;
beforeAll(async () => {
  plain = await listen(billingApp(), 0);
  secure = await listen(billingApp(true), 0);
});
afterAll(async () => {
  await plain.close();
  await secure.close();
});

const who = newPrincipal('owner');
const tokenFor = (aud: 'crm' | 'billing') => signInternalToken(SECRET, { ...who, aud });
const systemToken = (aud: 'crm' | 'billing') => signInternalToken(SECRET, { system: true, aud });

describe('security headers (kit)', () => {
  it('send nosniff, no framing, a referrer policy, a permissions policy and a deny-all CSP, and no-store when authenticated', async () => {
    const res = await fetch(`${plain.url}/api/private`, { headers: { [INTERNAL_TOKEN_HEADER]: tokenFor('billing') } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('leave caching alone without a principal, and add HSTS over https', async () => {
    const health = await fetch(`${plain.url}/healthz`);
    expect(health.headers.get('cache-control')).toBeNull();
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    const overHttps = await fetch(`${secure.url}/healthz`);
    expect(overHttps.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('internal tokens name their service (aud)', () => {
  it('a token minted for crm is refused by billing; one for billing is accepted', async () => {
    const refused = await fetch(`${plain.url}/api/private`, { headers: { [INTERNAL_TOKEN_HEADER]: tokenFor('crm') } });
    expect(refused.status).toBe(401);
    const accepted = await fetch(`${plain.url}/api/private`, { headers: { [INTERNAL_TOKEN_HEADER]: tokenFor('billing') } });
    expect(await accepted.json()).toEqual({ agencyId: who.agencyId });
  });

  it('the system principal reaches public routes only', async () => {
    const pub = await fetch(`${plain.url}/api/public/ping`, { headers: { [INTERNAL_TOKEN_HEADER]: systemToken('billing') } });
    expect(await pub.json()).toEqual({ system: true });
    const priv = await fetch(`${plain.url}/api/private`, { headers: { [INTERNAL_TOKEN_HEADER]: systemToken('billing') } });
    expect(priv.status).toBe(401);
    const otherService = await fetch(`${plain.url}/api/public/ping`, { headers: { [INTERNAL_TOKEN_HEADER]: systemToken('crm') } });
    expect(otherService.status).toBe(401);
  });
});

describe('path guard (kit)', () => {
  it.each([
    '/webhooks/stripe/../../api/private',
    '/api/./private',
    '/webhooks/stripe/%2e%2e/%2E%2E/api/private',
    '/webhooks/stripe/.%2e/api/private',
    '/webhooks/stripe/%252e%252e/api/private',
    '/webhooks/stripe%2f..%2f..%2fapi/private',
    '/webhooks/stripe/..%5capi',
    '/webhooks\\..\\api',
    '/api/%zz',
  ])('refuses %s with 400 before routing', async (path) => {
    const res = await rawRequest(plain.url, path, { [INTERNAL_TOKEN_HEADER]: tokenFor('billing') });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body).detail).toMatch(/path/);
  });

  it('lets ordinary paths through, dots inside names included', async () => {
    expect(unsafePathReason('/api/exports/clients.csv')).toBeNull();
    expect(unsafePathReason('/api/clients/a..b/x')).toBeNull();
    expect(unsafePathReason('/api/search%20term')).toBeNull();
    const res = await rawRequest(plain.url, '/api/private', { [INTERNAL_TOKEN_HEADER]: tokenFor('billing') });
    expect(res.status).toBe(200);
  });
});

describe('production configuration', () => {
  const schema = serviceEnv('crm', { port: 4001 });
  const real = {
    NODE_ENV: 'production',
    INTERNAL_TOKEN_SECRET: 'a-real-secret-of-more-than-32-characters-x',
    DATABASE_URL: 'postgres://atelier_crm:s3cret-pw@db:5432/atelier',
    AMQP_URL: 'amqp://atelier_crm:s3cret-pw@mq:5672',
  };

  it('refuses the development secret and passwords, saying what to set', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(schema, env);
        return [];
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^INTERNAL_TOKEN_SECRET: is the built-in development secret; set a random secret/),
      expect.stringMatching(/^DATABASE_URL: uses the development password.*set DATABASE_URL/),
      expect.stringMatching(/^AMQP_URL: uses the development password.*set AMQP_URL/),
    ]);
    expect(problems({ ...real, INTERNAL_TOKEN_SECRET: DEV_INTERNAL_TOKEN_SECRET })).toEqual([expect.stringMatching(/^INTERNAL_TOKEN_SECRET/)]);
    expect(problems({ ...real, AMQP_URL: 'amqp://guest:guest@mq:5672' })).toEqual([expect.stringMatching(/^AMQP_URL/)]);
    expect(problems({ ...real, DATABASE_OWNER_URL: 'postgres://atelier_crm_owner:atelier_crm_owner@db/atelier' })).toEqual([expect.stringMatching(/^DATABASE_OWNER_URL/)]);
    expect(problems(real)).toEqual([]);
  });

  it('accepts the development defaults outside production', () => {
    expect(loadConfig(schema, { NODE_ENV: 'development' }).INTERNAL_TOKEN_SECRET).toBe(DEV_INTERNAL_TOKEN_SECRET);
  });
});
