import type { NextFunction, Request, Response } from 'express';
import type { Role } from '@atelier/contracts';
import { logContext } from '../logging/logger.js';
import { forbidden, unauthorized } from '../http/errors.js';
import { INTERNAL_TOKEN_HEADER, InternalTokenVerifier, type InternalAudience, type PrincipalClaims } from './internal-token.js';

export type Principal = PrincipalClaims;

/**
 * Services accept only requests that carry a valid token from the gateway, minted for them
 * (`aud`). A user token makes `res.locals.principal`; the system token of a public route sets
 * `res.locals.system` and reaches only routes the service declared public (`requireUser` stops it
 * before every other route).
 */
export function internalAuth(secret: string, audience: InternalAudience) {
  const verifier = new InternalTokenVerifier(secret, audience);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/healthz' || req.path === '/readyz') return next();
    const claims = verifier.verify(req.header(INTERNAL_TOKEN_HEADER));
    if (!claims) return next(unauthorized('Missing or invalid internal token'));
    if ('system' in claims) {
      res.locals.system = true;
      return next();
    }
    const principal: Principal = { userId: claims.userId, agencyId: claims.agencyId, role: claims.role };
    res.locals.principal = principal;
    res.locals.agencyId = principal.agencyId;
    const ctx = logContext.getStore();
    if (ctx) ctx.agencyId = principal.agencyId;
    next();
  };
}

/** After the public routes: everything else needs a signed-in user, not the system principal. */
export function requireUser() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/healthz' || req.path === '/readyz' || res.locals.principal) return next();
    next(unauthorized('This route needs a signed-in user'));
  };
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw unauthorized();
  return p;
}

/** The roles allowed to change things in most domains. */
export const EDITORS: readonly Role[] = ['owner', 'admin', 'manager'];

/** Throws 403 unless the caller has one of `roles`. */
export function requireRole(res: Response, roles: readonly Role[]): Principal {
  const p = principalOf(res);
  if (!roles.includes(p.role)) throw forbidden();
  return p;
}
