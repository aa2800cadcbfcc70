import { createHmac } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, loadConfig, serviceEnv, type Service } from '@atelier/platform';
import { createTestDatabase, stopTestService, testEnv, testNamespace, type TestDatabase } from '@atelier/platform/testing';
import { loadGatewayConfig } from '../src/config.js';
import { buildGateway, type Gateway } from '../src/gateway.js';
import { Browser, ORIGIN, signUp } from './gateway-harness.js';

/**
 * The edge as an attacker and as Stripe meet it: public and raw routes, path tricks, forwarded
 * addresses, and the headers browsers get. A stand-in payments service (the kit's createService
 * with a public raw webhook route that checks a Stripe-style signature) sits behind the gateway.
 */
const migrations = (app: string) => fileURLToPath(new URL(`../../${app}/drizzle`, import.meta.url));
const WEBHOOK_SECRET = 'whsec_edge_test_secret';
const stripeSignature = (body: Buffer, t = Math.floor(Date.now() / 1000)) => `t=${t},v1=${createHmac('sha256', WEBHOOK_SECRET).update(`${t}.`).update(body).digest('hex')}`;

let db: TestDatabase;
let payments: Service;
const gateways: Gateway[] = [];
let url: string; // TRUST_PROXY unset
let trustingUrl: string; // TRUST_PROXY=loopback
let webUrl: string; // with the web app

async function startGateway(overrides: Record<string, string>): Promise<string> {
  const namespace = testNamespace();
  const gateway = await buildGateway(
    loadGatewayConfig(testEnv('gateway', db, namespace, { PAYMENTS_URL: payments.server!.url, BILLING_URL: payments.server!.url, PUBLIC_ORIGIN: ORIGIN, WEB_BUILD_DIR: '', LOGIN_MAX_FAILURES: '2', ...overrides })),
  );
  gateways.push(gateway);
  return (await gateway.start()).url;
}

beforeAll(async () => {
  db = await createTestDatabase({ gateway: migrations('gateway'), payments: migrations('payments-service') });
  const config = loadConfig(serviceEnv('payments', { port: 0 }), testEnv('payments', db, testNamespace()));
  payments = createService('payments', config, () => ({
    publicRoutes: [
      {
        method: 'post',
        path: '/webhooks/stripe',
        raw: true,
        handler: (req, res) => {
          const body = req.body as Buffer;
          const given = String(req.headers['stripe-signature'] ?? '');
          const t = /t=(\d+)/.exec(given)?.[1] ?? '';
          res.json({ verified: given === stripeSignature(body, Number(t)), bytes: body.toString('base64'), system: res.locals.system === true, principal: res.locals.principal ?? null });
        },
      },
      { method: 'post', path: '/api/public/invoices/:token/checkout', handler: (req, res) => res.json({ token: req.params.token, system: res.locals.system === true }) },
    ],
    routes: (a) => a.get('/api/payments', (_req, res) => res.json({ agencyId: res.locals.principal.agencyId })),
  }));
  await payments.start();
  url = await startGateway({});
  trustingUrl = await startGateway({ TRUST_PROXY: 'loopback' });
  webUrl = await startGateway({ WEB_BUILD_DIR: fileURLToPath(new URL('../../web/build', import.meta.url)) });
}, 120_000);

afterAll(async () => {
  for (const g of gateways) await g.stop();
  if (payments) await stopTestService(payments);
  await db?.drop();
});

/** A request with the path exactly as given (fetch would resolve dot segments first). */
function rawRequest(base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const target = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('public routes', () => {
  it('forward a Stripe-style webhook byte for byte, with the system principal, and its signature verifies after the hop', async () => {
    // Whitespace, key order, escapes and non-ASCII that any JSON re-encoding would change.
    const body = Buffer.from('{"id":"evt_1",  "type":"payment_intent.succeeded",\n "amount": 1.50, "name":"Zo\u00eb \\u00e9", "z":1, "a":2}\r\n', 'utf8');
    const res = await fetch(`${url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body) }, body });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { verified: boolean; bytes: string; system: boolean; principal: unknown };
    expect(answer).toEqual({ verified: true, bytes: body.toString('base64'), system: true, principal: null });
    const forged = await fetch(`${url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(Buffer.from('{}')) }, body });
    expect(((await forged.json()) as { verified: boolean }).verified).toBe(false);
  });

  it('need no session, and get the system principal even from a signed-in browser', async () => {
    const anonymous = await fetch(`${url}/api/public/invoices/tok_123/checkout`, { method: 'POST', headers: { origin: ORIGIN } });
    expect(await anonymous.json()).toEqual({ token: 'tok_123', system: true });
    const { browser } = await signUp(url, 'Public Route Co');
    const signedIn = await browser.post('/api/public/invoices/tok_456/checkout');
    expect(signedIn.body).toEqual({ token: 'tok_456', system: true });
  });

  it('carry tokens for the service they are routed to: the stand-in payments service refuses one minted for billing', async () => {
    // BILLING_URL points at the payments stand-in here: /api/public/invoices/:token is billing's.
    const res = await fetch(`${url}/api/public/invoices/tok_789`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toBe('Missing or invalid internal token');
  });

  it('leave every other service route to signed-in users', async () => {
    expect((await fetch(`${url}/api/payments`)).status).toBe(401);
    const { browser, me } = await signUp(url, 'Private Route Co');
    expect((await browser.get('/api/payments')).body).toEqual({ agencyId: me.agency.id });
  });
});

describe('paths', () => {
  it.each(['/webhooks/stripe/../../api/auth/logout', '/webhooks/stripe/%2e%2e/%2E%2E/api/auth/logout', '/webhooks/stripe/..%2f..%2fapi/auth/logout', '/webhooks/stripe/%252e%252e/%252e%252e/api/auth/logout'])(
    'refuses %s with 400 before routing, so it cannot pass as a webhook',
    async (path) => {
      const res = await rawRequest(url, 'POST', path, '{}', { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).detail).toMatch(/path/);
    },
  );
});

describe('X-Forwarded-For', () => {
  const failLogins = async (base: string) => {
    const { email } = await signUp(base, 'Forwarded Co');
    const browser = new Browser(base);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await browser.request('POST', '/api/auth/login', { email, password: `wrong-${i}-password` }, { 'x-forwarded-for': `203.0.113.${i + 1}` });
      statuses.push(res.status);
    }
    return statuses;
  };

  it('is ignored without TRUST_PROXY: a client rotating it is still throttled', async () => {
    expect(await failLogins(url)).toEqual([401, 401, 429, 429]);
  });

  it('is believed from a configured proxy (TRUST_PROXY=loopback), where each address counts on its own', async () => {
    expect(await failLogins(trustingUrl)).toEqual([401, 401, 401, 401]);
  });
});

describe('browser security headers', () => {
  it('API responses: nosniff everywhere, no-store when authenticated', async () => {
    const { browser } = await signUp(url, 'Header Co');
    const me = await browser.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.headers.get('x-content-type-options')).toBe('nosniff');
    expect(me.headers.get('cache-control')).toBe('no-store');
    const proxied = await browser.get('/api/payments');
    expect(proxied.headers.get('cache-control')).toBe('no-store');
    expect(proxied.headers.get('x-content-type-options')).toBe('nosniff');
    const anonymous = await fetch(`${url}/api/auth/me`);
    expect(anonymous.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('pages: a CSP with a nonce for every inline script and no unsafe-inline scripts, no framing, a referrer and permissions policy', async () => {
    const res = await fetch(`${webUrl}/login`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values] as const));
    const scriptSrc = directives.get('script-src') ?? [];
    expect(scriptSrc).toContain("'self'");
    expect(scriptSrc.join(' ')).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc.join(' '))?.[1];
    expect(nonce).toBeTruthy();
    const html = await res.text();
    const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1] ?? '').filter((attrs) => !/type="application\/json"/.test(attrs));
    expect(inlineScripts.length).toBeGreaterThan(0);
    for (const attrs of inlineScripts) expect(attrs).toContain(`nonce="${nonce}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('permissions-policy')).toMatch(/geolocation=\(\)/);
    // A second page gets a fresh nonce.
    const again = (await fetch(`${webUrl}/login`)).headers.get('content-security-policy') ?? '';
    expect(again).not.toContain(nonce!);
  });

  it('HSTS only over https', async () => {
    expect((await fetch(`${url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
    const https = await startGateway({ PUBLIC_ORIGIN: 'https://atelier.example' });
    expect((await fetch(`${https}/healthz`)).headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });
});

