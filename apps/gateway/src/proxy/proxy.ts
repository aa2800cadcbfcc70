import http from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { HttpError, INTERNAL_TOKEN_HEADER, InternalTokenSigner, sendProblem, unauthorized, type Principal } from '@atelier/platform';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config.js';
import { matchRoute, upstreams } from './routing-table.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'host']);
/** Never forwarded: the caller's credentials stay at the edge, and only the gateway mints internal tokens. */
const STRIPPED = new Set([...HOP_BY_HOP, 'cookie', 'authorization', INTERNAL_TOKEN_HEADER]);

/**
 * Streams requests for service-owned paths to their service over keep-alive connections, with the
 * caller's identity replaced by a short-lived signed internal token. Bodies are never buffered, so
 * webhooks arrive byte for byte and uploads and exports stream.
 */
export function proxyMiddleware(config: GatewayConfig, logger: Logger) {
  const targets = upstreams(config);
  const signer = new InternalTokenSigner(config.INTERNAL_TOKEN_SECRET);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000, timeout: 60_000 });

  const middleware = (req: Request, res: Response, next: NextFunction) => {
    const rule = matchRoute(req.path, req.method);
    if (!rule) return next();
    const principal = res.locals.principal as Principal | undefined;
    if (!rule.public && !principal) return next(unauthorized());

    const target = new URL(req.originalUrl, targets[rule.upstream]);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!STRIPPED.has(name) && value !== undefined) headers[name] = value;
    headers['x-request-id'] = res.locals.requestId as string;
    headers['x-forwarded-for'] = req.ip ?? '';
    headers['x-forwarded-proto'] = req.protocol;
    headers['x-forwarded-host'] = req.headers.host ?? '';
    // A public route gets the system principal even from a signed-in browser (it serves anyone
    // alike), unless it asks for the session to tell a staff preview from a visitor.
    headers[INTERNAL_TOKEN_HEADER] = signer.sign(rule.public ? (rule.forwardSession ? (principal ?? null) : null) : principal!, rule.upstream);

    const upstreamReq = http.request(target, { method: req.method, headers, agent });
    upstreamReq.setTimeout(config.UPSTREAM_TIMEOUT_MS, () => upstreamReq.destroy(new HttpError(504, 'Gateway Timeout', `${rule.upstream} did not answer in time`)));
    upstreamReq.on('response', (upstreamRes) => {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upstreamRes.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
      res.writeHead(upstreamRes.statusCode ?? 502, out);
      upstreamRes.pipe(res);
      upstreamRes.on('error', () => res.destroy());
    });
    upstreamReq.on('error', (err) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const problem = err instanceof HttpError ? err : new HttpError(502, 'Bad Gateway', `${rule.upstream} is unavailable`);
      if (!(err instanceof HttpError)) logger.warn({ err: err.message, upstream: rule.upstream }, 'upstream request failed');
      sendProblem(res, problem);
    });
    // A client that goes away mid-request cancels the upstream call.
    res.on('close', () => {
      if (!res.writableFinished) upstreamReq.destroy();
    });
    // Most requests have no body (GET): end the upstream request at once instead of piping nothing.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) upstreamReq.end();
    else req.pipe(upstreamReq);
  };
  return Object.assign(middleware, { close: () => agent.destroy() });
}
