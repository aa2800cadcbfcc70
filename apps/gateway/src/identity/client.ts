import type { Request } from 'express';

/** The caller's address as Express resolved it (see `trust proxy`); the key of per-IP limits. */
export const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export const userAgentOf = (req: Request): string | null => {
  const ua = req.headers['user-agent'];
  return ua ? ua.slice(0, 500) : null;
};

/** What a use case needs to know about the request it serves. */
export interface RequestContext {
  ip: string;
  userAgent: string | null;
}

export const requestContext = (req: Request): RequestContext => ({ ip: clientIp(req), userAgent: userAgentOf(req) });
