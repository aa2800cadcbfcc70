import { randomBytes } from 'node:crypto';

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
