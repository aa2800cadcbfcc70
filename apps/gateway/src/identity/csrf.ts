import type { NextFunction, Request, Response } from 'express';
import { forbidden } from '@atelier/platform';
import { publicOrigins, type GatewayConfig } from '../config.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cookie sessions are defended against cross-site requests by the Origin header that browsers
 * always send on state-changing requests: it must be the app's own origin (configured, or the one
 * the request was addressed to). Bearer-token requests carry no ambient credentials and are exempt.
 */
export function originCheck(config: GatewayConfig) {
  const allowed = new Set(publicOrigins(config));
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!MUTATING.has(req.method) || req.headers.authorization) return next();
    const origin = req.headers.origin;
    const own = `${req.protocol}://${req.headers.host ?? ''}`;
    if (origin && (allowed.has(origin) || origin === own)) return next();
    next(forbidden(origin ? 'Cross-origin request refused' : 'Missing Origin header'));
  };
}
