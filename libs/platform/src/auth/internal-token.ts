import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Role } from '@atelier/contracts';

/** The header the gateway puts on every forwarded request (and strips from incoming ones). */
export const INTERNAL_TOKEN_HEADER = 'x-atelier-internal-token';

export const InternalClaims = z.object({
  userId: z.uuid(),
  agencyId: z.uuid(),
  role: Role,
  requestId: z.string().optional(),
  exp: z.number().int(),
});
export type InternalClaims = z.infer<typeof InternalClaims>;

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');
const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest();

/** A compact HMAC-SHA256 token, valid for `ttlSeconds`: payload.signature, both base64url. */
export function signInternalToken(secret: string, claims: Omit<InternalClaims, 'exp'>, ttlSeconds = 60): string {
  const payload = b64(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + ttlSeconds }));
  return `${payload}.${b64(sign(secret, payload))}`;
}

/** Returns the claims, or null for anything forged, malformed or expired. */
export function verifyInternalToken(secret: string, token: string | undefined): InternalClaims | null {
  if (!token || token.length > 2048) return null;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = sign(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = InternalClaims.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return claims.exp >= Math.floor(Date.now() / 1000) ? claims : null;
  } catch {
    return null;
  }
}

/**
 * Signs tokens for the gateway, reusing one per principal for half its lifetime: signing on every
 * proxied request was a visible share of the gateway's CPU, and a reused token still expires.
 */
export class InternalTokenSigner {
  private cache = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly secret: string,
    private readonly ttlSeconds = 60,
  ) {}

  sign(principal: Pick<InternalClaims, 'userId' | 'agencyId' | 'role'>): string {
    const key = `${principal.userId}:${principal.agencyId}:${principal.role}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.token;
    const token = signInternalToken(this.secret, { userId: principal.userId, agencyId: principal.agencyId, role: principal.role }, this.ttlSeconds);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { token, until: now + (this.ttlSeconds * 1000) / 2 });
    return token;
  }
}
