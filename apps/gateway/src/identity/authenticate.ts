import type { NextFunction, Request, Response } from 'express';
import { logContext, unauthenticatedError, type Db } from '@atelier/platform';
import type { GatewayConfig } from '../config.js';
import { resolveApiToken, resolveSession, type ResolvedIdentity } from './identity-repository.js';
import { hashSecret } from './secrets.js';
import { readSessionCookie } from './session-cookie.js';

export type AuthVia = 'cookie' | 'bearer';
export interface Authenticated {
  identity: ResolvedIdentity;
  via: AuthVia;
}

/**
 * Resolves the caller from the session cookie or a bearer API token. Hits are cached briefly so
 * that proxied requests cost no identity round trip. Revocations (logout, a revoked token or
 * session, a removed member, a password change) evict at once here; other gateway replicas stop
 * accepting the credential when their entry expires, within AUTH_CACHE_MS.
 */
export class Authenticator {
  private cache = new Map<string, { identity: ResolvedIdentity | null; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly config: GatewayConfig,
  ) {}

  async authenticate(req: Request): Promise<Authenticated | null> {
    const authorization = req.headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+(\S{1,512})$/i.exec(authorization);
      if (!match?.[1]) return null;
      const identity = await this.lookup(`t:${hashSecret(match[1])}`, (h) => resolveApiToken(this.db, h));
      return identity ? { identity, via: 'bearer' } : null;
    }
    const cookie = readSessionCookie(this.config, req);
    if (!cookie || cookie.length > 512) return null;
    const identity = await this.lookup(`s:${hashSecret(cookie)}`, (h) => resolveSession(this.db, h, this.config.SESSION_IDLE_HOURS));
    return identity ? { identity, via: 'cookie' } : null;
  }

  /** Forgets cached identities: one session or token, every entry of a user, or of an agency. */
  evict(match: { tokenHash?: string; sessionId?: string; tokenId?: string; userId?: string; agencyId?: string }) {
    for (const [key, entry] of this.cache) {
      const i = entry.identity;
      if (
        (match.tokenHash && key.endsWith(match.tokenHash)) ||
        (match.userId && i?.userId === match.userId) ||
        (match.agencyId && i?.agencyId === match.agencyId) ||
        (match.sessionId && i?.sessionId === match.sessionId) ||
        (match.tokenId && i?.tokenId === match.tokenId)
      )
        this.cache.delete(key);
    }
  }

  private async lookup(key: string, resolve: (hash: string) => Promise<ResolvedIdentity | null>) {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.identity;
    const identity = await resolve(key.slice(2));
    if (this.config.AUTH_CACHE_MS > 0 && identity) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, { identity, until: now + this.config.AUTH_CACHE_MS });
    }
    return identity;
  }

  /** Express middleware: attaches the caller (if any) to res.locals.auth. */
  middleware() {
    return async (req: Request, res: Response, next: NextFunction) => {
      const auth = await this.authenticate(req);
      res.locals.auth = auth;
      if (auth) {
        res.locals.agencyId = auth.identity.agencyId;
        const ctx = logContext.getStore();
        if (ctx) ctx.agencyId = auth.identity.agencyId;
      }
      next();
    };
  }
}

export function requireAuth(res: Response): Authenticated {
  const auth = res.locals.auth as Authenticated | null | undefined;
  if (!auth) throw unauthenticatedError('auth.required');
  return auth;
}
