import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  deleteBusNamespace,
  spawnService,
  startTestSmtp,
  TEST_AMQP_URL,
  TEST_RETRY_DELAYS_MS,
  testEnv,
  testNamespace,
  type ChildService,
  type TestDatabase,
  type TestSmtp,
} from '@atelier/platform/testing';
import { loadGatewayConfig } from '../src/config.js';
import { buildGateway, type Gateway } from '../src/gateway.js';

export const migrations = (app: string) => fileURLToPath(new URL(`../../${app}/drizzle`, import.meta.url));
export const ORIGIN = 'http://atelier.test';

export interface Stack {
  db: TestDatabase;
  gateway: Gateway;
  crm: ChildService;
  smtp: TestSmtp;
  namespace: string;
  url: string;
  stop(): Promise<void>;
}

/** Every test signs up from 127.0.0.1: per-address signup and login limits would otherwise trip across tests. */
export const TEST_LIMITS = {
  RATE_LIMIT_SIGNUP_IP: '100000/3600',
  RATE_LIMIT_LOGIN_IP: '100000/900',
  RATE_LIMIT_ACCEPT_IP: '100000/900',
  RATE_LIMIT_RESET_IP: '100000/3600',
  RATE_LIMIT_TOKEN_CREATE_IP: '100000/3600',
};

/** A gateway replica in-process on the stack's database and bus namespace (tests start a second one to check cross-replica behaviour). */
export async function startGateway(db: TestDatabase, namespace: string, overrides: Record<string, string> = {}): Promise<Gateway> {
  const gateway = await buildGateway(
    loadGatewayConfig(testEnv('gateway', db, namespace, { PUBLIC_ORIGIN: ORIGIN, WEB_BUILD_DIR: '', MAIL_RETRY_DELAYS_MS: '50,100,200,400', ...TEST_LIMITS, ...overrides })),
  );
  await gateway.start();
  return gateway;
}

/** Gateway in-process, crm-service as a child process, both on a throwaway database and bus namespace. */
export async function startStack(overrides: Record<string, string> = {}): Promise<Stack> {
  const db = await createTestDatabase({ gateway: migrations('gateway'), crm: migrations('crm-service') });
  const namespace = testNamespace();
  const smtp = await startTestSmtp();
  const crm = await spawnService('crm', 'apps/crm-service/src/main.ts', testEnv('crm', db, namespace));
  const gateway = await startGateway(db, namespace, { CRM_URL: crm.url, SMTP_URL: smtp.url, ...overrides });
  return {
    db,
    gateway,
    crm,
    smtp,
    namespace,
    url: gateway.server!.url,
    async stop() {
      await gateway.stop();
      await crm.stop();
      await smtp.stop();
      await deleteBusNamespace(TEST_AMQP_URL, namespace, ['crm.timeline'], TEST_RETRY_DELAYS_MS);
      await db.drop();
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A browser-like client: keeps the session cookie and sends the app's Origin on every request. */
export class Browser {
  cookie = '';
  constructor(
    private readonly base: string,
    private readonly origin: string | null = ORIGIN,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.origin ? { origin: this.origin } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const [pair] = setCookie.split(';');
      this.cookie = pair?.endsWith('=') ? '' : (pair ?? '');
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, undefined, headers);
  post = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', path, body, headers);
  patch = (path: string, body?: unknown) => this.request('PATCH', path, body);
  put = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('PUT', path, body, headers);
  delete = (path: string) => this.request('DELETE', path);
}

let counter = 0;
export const uniqueEmail = (tag = 'user') => `${tag}-${Date.now().toString(36)}-${++counter}@example.test`;

/** Signs up a new agency and returns a browser signed in as its owner. */
export async function signUp(base: string, agencyName = 'Studio'): Promise<{ browser: Browser; email: string; password: string; me: Reply['body'] }> {
  const browser = new Browser(base);
  const email = uniqueEmail('owner');
  const password = 'correct horse battery';
  const res = await browser.post('/api/auth/signup', { agencyName, name: 'Olivia Owner', email, password });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { browser, email, password, me: res.body };
}
