import type { NextFunction, Request, Response } from 'express';
import type { Authenticator } from '../identity/authenticate.js';
import { identityToSessionInfo } from '../users/user-mapper.js';

/**
 * The header that carries the signed-in caller's `/api/auth/me` body to the web app's server hook,
 * which writes it into the HTML shell: the first screen then starts its data requests as soon as
 * its script runs, without a round trip for the session first.
 */
export const SHELL_SESSION_HEADER = 'x-atelier-session';

/** For page requests (not /api, not the hashed assets): resolves the cookie session and passes it on. */
export function shellSession(authenticator: Authenticator) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    // Only the gateway may set it: whatever a caller sent is dropped.
    delete req.headers[SHELL_SESSION_HEADER];
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/_app/')) return next();
    const auth = await authenticator.authenticate(req);
    if (auth?.via === 'cookie') req.headers[SHELL_SESSION_HEADER] = encodeURIComponent(JSON.stringify(identityToSessionInfo(auth.identity)));
    next();
  };
}
