import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './errors.js';

/** How many rounds of percent-decoding a segment is looked at through (`%252e` is `%2e` is `.`). */
const DECODE_ROUNDS = 3;

/**
 * Why a request path is refused, or null: a `.` or `..` segment, raw or percent-encoded (once or
 * more), an encoded `/` or `\` inside a segment, a raw `\`, or broken percent-encoding. Routing
 * matches the path as sent, while URL resolution further along (the proxy's `new URL`, a service's
 * router, a browser) would resolve such segments: `/webhooks/stripe/../../api/clients` would be
 * matched as a public webhook and arrive as `/api/clients`.
 */
export function unsafePathReason(rawPath: string): string | null {
  if (rawPath.includes('\\')) return 'the path contains a backslash';
  for (const raw of rawPath.split('/')) {
    let segment = raw;
    for (let round = 0; round <= DECODE_ROUNDS; round++) {
      if (segment === '.' || segment === '..') return 'the path contains a "." or ".." segment';
      if (round > 0 && /[/\\]/.test(segment)) return 'the path contains an encoded "/" or "\\"';
      if (!segment.includes('%')) break;
      try {
        segment = decodeURIComponent(segment);
      } catch {
        return 'the path has malformed percent-encoding';
      }
    }
  }
  return null;
}

/** Refuses unsafe paths (see `unsafePathReason`) with 400 before anything routes on them. */
export function pathGuard() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const rawPath = req.originalUrl.split('?')[0] ?? '';
    const reason = unsafePathReason(rawPath);
    if (reason) return next(new HttpError(400, 'Bad Request', `${reason}; send the path in its normal form`));
    next();
  };
}
