import { randomBytes } from 'node:crypto';
import http from 'node:http';

export interface Owner {
  userId: string;
  agencyId: string;
  /** `name=value` of the session cookie. */
  cookie: string;
}

async function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${await res.text()}`);
}

/** Signs up an agency and its owner through the public API, as a browser on the gateway's own origin would. */
export async function signUpOwner(gatewayUrl: string, agencyName: string): Promise<Owner> {
  const res = await fetch(`${gatewayUrl}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: gatewayUrl },
    body: JSON.stringify({
      agencyName,
      name: 'Bench Owner',
      email: `owner-${randomBytes(4).toString('hex')}@bench.example`,
      password: `bench-${randomBytes(12).toString('hex')}`,
    }),
  });
  await expectStatus(res, 201, 'signup');
  const body = (await res.json()) as { user: { id: string }; agency: { id: string } };
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('signup: no session cookie');
  return { userId: body.user.id, agencyId: body.agency.id, cookie };
}

/** A personal API token of the signed-in user, for `Authorization: Bearer`. */
export async function createApiToken(gatewayUrl: string, owner: Owner): Promise<string> {
  const res = await fetch(`${gatewayUrl}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: gatewayUrl, cookie: owner.cookie },
    body: JSON.stringify({ name: 'bench' }),
  });
  await expectStatus(res, 201, 'create API token');
  return ((await res.json()) as { token: string }).token;
}

/** One GET that must answer 200 with JSON; the bench checks what it is about to measure before measuring it. */
export async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(url, { headers });
  await expectStatus(res, 200, `GET ${url}`);
  return (await res.json()) as T;
}

/**
 * One request on a keep-alive agent, the whole body read as text: what the load generators send,
 * with less per request than fetch, so the bench's own CPU stays out of the figures.
 */
export function agentRequest(agent: http.Agent, url: URL, o: { method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string; timeoutMs: number }): Promise<{ status: number; body: string }> {
  const headers = o.body === undefined ? o.headers : { ...o.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(o.body)) };
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(o.timeoutMs, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(o.body);
  });
}
