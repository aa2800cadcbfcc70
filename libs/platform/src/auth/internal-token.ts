import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Role } from '@atelier/contracts';

/** The header the gateway puts on every forwarded request (and strips from incoming ones). */
export const INTERNAL_TOKEN_HEADER = 'x-atelier-internal-token';

/** The services a token can be for: its `aud`. A service refuses tokens minted for another. */
export const InternalAudience = z.enum(['crm', 'projects', 'billing', 'payments']);
export type InternalAudience = z.infer<typeof InternalAudience>;

/** A signed-in user of an agency, on whose behalf the gateway calls. */
export const UserClaims = z.object({
  userId: z.uuid(),
  agencyId: z.uuid(),
  role: Role,
  requestId: z.string().optional(),
  aud: InternalAudience,
  exp: z.number().int(),
});
/** The gateway itself, on a public route (`/api/public/*`, `/webhooks/*`): no user, no agency. */
export const SystemClaims = z.object({
  system: z.literal(true),
  requestId: z.string().optional(),
  aud: InternalAudience,
  exp: z.number().int(),
});
export const InternalClaims = z.union([UserClaims, SystemClaims]);
export type UserClaims = z.infer<typeof UserClaims>;
export type SystemClaims = z.infer<typeof SystemClaims>;
export type InternalClaims = z.infer<typeof InternalClaims>;

/** Who a user token names (what services call the principal). */
export type PrincipalClaims = Pick<UserClaims, 'userId' | 'agencyId' | 'role'>;

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');
const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest();

type Unsigned = Omit<UserClaims, 'exp'> | Omit<SystemClaims, 'exp'>;

/** A compact HMAC-SHA256 token, valid for `ttlSeconds`: payload.signature, both base64url. */
export function signInternalToken(secret: string, claims: Unsigned, ttlSeconds = 60): string {
  const payload = b64(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + ttlSeconds }));
  return `${payload}.${b64(sign(secret, payload))}`;
}

/** Returns the claims, or null for anything forged, malformed, expired or minted for another service than `audience`. */
export function verifyInternalToken(secret: string, token: string | undefined, audience: InternalAudience): InternalClaims | null {
  if (!token || token.length > 2048) return null;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = sign(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = InternalClaims.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return claims.exp >= Math.floor(Date.now() / 1000) && claims.aud === audience ? claims : null;
  } catch {
    return null;
  }
}

/**
 * Signs tokens for the gateway, reusing one per principal and audience for half its lifetime:
 * signing on every proxied request was a visible share of the gateway's CPU, and a reused token
 * still expires.
 */
export class InternalTokenSigner {
  private cache = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly secret: string,
    private readonly ttlSeconds = 60,
  ) {}

  /** For a signed-in user's request to `aud`; `null` for the system principal of a public route. */
  sign(principal: PrincipalClaims | null, aud: InternalAudience): string {
    const key = principal ? `${aud}:${principal.userId}:${principal.agencyId}:${principal.role}` : `${aud}:system`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.token;
    const claims: Unsigned = principal ? { userId: principal.userId, agencyId: principal.agencyId, role: principal.role, aud } : { system: true, aud };
    const token = signInternalToken(this.secret, claims, this.ttlSeconds);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { token, until: now + (this.ttlSeconds * 1000) / 2 });
    return token;
  }
}

/**
 * verifyInternalToken with a memory of tokens already verified: the gateway reuses a token per
 * principal for half its minute, so nearly every request repeats one, and the HMAC, the decoding
 * and the schema check were a tenth of a service's CPU per request. An entry holds until the
 * token's own expiry; a token that failed is not remembered (it costs its full check every time).
 */
export class InternalTokenVerifier {
  private cache = new Map<string, InternalClaims>();

  constructor(
    private readonly secret: string,
    private readonly audience: InternalAudience,
  ) {}

  verify(token: string | undefined): InternalClaims | null {
    if (!token) return null;
    const hit = this.cache.get(token);
    if (hit) {
      if (hit.exp >= Math.floor(Date.now() / 1000)) return hit;
      this.cache.delete(token);
    }
    const claims = verifyInternalToken(this.secret, token, this.audience);
    if (claims) {
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(token, claims);
    }
    return claims;
  }
}
