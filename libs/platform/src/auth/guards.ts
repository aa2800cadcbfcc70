import type { NextFunction, Request, Response } from 'express';
import type { Role } from '@atelier/contracts';
import { logContext } from '../logging/logger.js';
import { forbidden, unauthorized } from '../http/errors.js';
import { INTERNAL_TOKEN_HEADER, verifyInternalToken, type InternalClaims } from './internal-token.js';

export type Principal = Omit<InternalClaims, 'exp'>;

/** Services accept only requests that carry a valid token from the gateway. */
export function internalAuth(secret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/healthz' || req.path === '/readyz') return next();
    const claims = verifyInternalToken(secret, req.header(INTERNAL_TOKEN_HEADER));
    if (!claims) return next(unauthorized('Missing or invalid internal token'));
    const { exp: _exp, ...principal } = claims;
    res.locals.principal = principal;
    res.locals.agencyId = principal.agencyId;
    const ctx = logContext.getStore();
    if (ctx) ctx.agencyId = principal.agencyId;
    next();
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
