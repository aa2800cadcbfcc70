/** A small deterministic generator, so a failure can be replayed. */
export function rng(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** Values that break parsers and validators in the usual ways. */
export const weirdValues: unknown[] = [
  null, true, 0, -1, 1e308, 'x'.repeat(5_000), '', ' ', '\u0000', '\ud83d', '<script>', "'; drop table clients; --", [], [1, 2], {}, { $gt: '' },
  { __proto__: { polluted: true } }, 'NaN', '2026-13-45', '00000000-0000-0000-0000-000000000000',
];

const DEFAULT_FIELDS = ['name', 'email', 'phone', 'website', 'address', 'currency', 'taxId', 'isActive', 'agencyName', 'password', 'role', 'mapping'];

/**
 * The fuzz harness for "malformed input never causes a 5xx": `count` request bodies, in turn
 * broken JSON, weird values in the given fields (plus an unknown field, so none is accidentally
 * valid), bodies over the size limit, and non-JSON content types.
 */
export function malformedBodies(count: number, fields: readonly string[] = DEFAULT_FIELDS, seed = 42): { body: string; contentType: string }[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
  const out: { body: string; contentType: string }[] = [];
  const broken = ['{', '{"name":', '{"name": "a",}', "{'name': 'a'}", 'null', '[]', '"just a string"', '{"name": NaN}', '\u0000\u0001', '{"a":1}{"b":2}'];
  for (let i = 0; i < count; i++) {
    const kind = i % 4;
    if (kind === 0) out.push({ body: pick(broken), contentType: 'application/json' });
    else if (kind === 1) {
      const obj: Record<string, unknown> = { [`unexpected${i}`]: pick(weirdValues) };
      for (let f = 0; f < 1 + Math.floor(next() * 4); f++) obj[pick(fields)] = pick(weirdValues);
      out.push({ body: JSON.stringify(obj), contentType: 'application/json' });
    } else if (kind === 2) out.push({ body: JSON.stringify({ name: 'x'.repeat(1_100_000 + Math.floor(next() * 2_000_000)) }), contentType: 'application/json' });
    else out.push({ body: 'name=hello', contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) });
  }
  return out;
}

type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; headers: Headers }>;

/**
 * Sends `count` malformed bodies to the `targets` in turn and counts the answers by status.
 * Throws at the first answer that is not a 4xx problem+json: a 5xx, or a malformed body accepted.
 */
export async function sendMalformedBodies(call: Call, targets: readonly (readonly [method: string, path: string])[], fields: readonly string[], count: number, seed?: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (const [i, { body, contentType }] of malformedBodies(count, fields, seed).entries()) {
    const [method, path] = targets[i % targets.length]!;
    const res = await call(method, path, body, { 'content-type': contentType });
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const problem = /application\/problem\+json/.test(res.headers.get('content-type') ?? '');
    if (res.status < 400 || res.status >= 500 || !problem) throw new Error(`${method} ${path} with ${body.slice(0, 80)} (${contentType}) → ${res.status} ${res.headers.get('content-type')}`);
  }
  return statuses;
}
