import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { logContext } from '../logging/logger.js';
import { DomainError } from '../errors/domain-error.js';
import { HttpError, toProblem } from './errors.js';
import { pathGuard } from './path-guard.js';
import { securityHeaders } from './security-headers.js';

export type HealthCheck = () => Promise<void>;

export interface AppDeps {
  logger: Logger;
  /** Named in `/healthz` (test clients learn a service's token audience from it). */
  name?: string;
  /** Named readiness checks (database, broker); `/readyz` is 503 while any fails. */
  readiness?: Record<string, HealthCheck>;
  bodyLimit?: string;
  /** The app is served over https (the gateway with an https PUBLIC_ORIGIN): adds HSTS. */
  https?: boolean;
  /** Mounted after the built-ins; return routers or register routes on `app`. */
  routes: (app: Express) => void;
  /** Runs before the routes (auth, for example). */
  before?: (app: Express) => void;
  /** Replaces the default 404 (the gateway hands unknown paths to the web app). */
  fallback?: (app: Express) => void;
}

export function sendProblem(res: Response, err: unknown) {
  const problem = toProblem(err);
  if (err instanceof DomainError && err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** Builds an Express app with the platform's conventions; it does not listen, so tests can bind port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const logRequests = deps.logger.isLevelEnabled('info');

  app.use((req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.locals.requestId = requestId;
    // A listener and a clock read per request for a line the level would drop: only when it is written.
    if (logRequests) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (req.path === '/healthz' || req.path === '/readyz') return;
        deps.logger.info({ requestId, agencyId: res.locals.agencyId, method: req.method, path: req.path, status: res.statusCode, ms }, 'request');
      });
    }
    logContext.run({ requestId }, () => next());
  });

  app.use(securityHeaders({ https: deps.https }));
  app.use(pathGuard());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', ...(deps.name ? { service: deps.name } : {}) });
  });
  app.get('/readyz', async (_req, res) => {
    const results: Record<string, string> = {};
    let ok = true;
    for (const [name, check] of Object.entries(deps.readiness ?? {})) {
      try {
        await check();
        results[name] = 'ok';
      } catch (err) {
        ok = false;
        results[name] = (err as Error).message || 'failed';
      }
    }
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks: results });
  });

  deps.before?.(app);
  app.use(jsonBody(deps.bodyLimit ?? '1mb'));
  deps.routes(app);

  if (deps.fallback) deps.fallback(app);
  else app.use((req, _res, next) => next(new HttpError(404, 'Not Found', `No route for ${req.method} ${req.path}`)));

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toProblem(err);
    if (problem.status >= 500) deps.logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, err);
  });
  return app;
}

/** JSON bodies only: a body with another content type is a 415, a bad one a 400, a large one a 413. */
export function jsonBody(limit: string) {
  const parse = express.json({ limit, strict: true });
  return (req: Request, res: Response, next: NextFunction) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method)) return next();
    // Uploads (multipart, CSV, images) are read by the route that accepts them.
    if (req.is('multipart/form-data') || req.is('text/csv') || req.is('image/*')) return next();
    if (!req.is('application/json') && !req.is('application/*+json')) {
      return next(new HttpError(415, 'Unsupported Media Type', 'Send the body as application/json'));
    }
    parse(req, res, next);
  };
}

/**
 * The body exactly as sent, as a Buffer in `req.body`, whatever its content type (up to `limit`,
 * else 413): for routes that verify a signature over the bytes, such as webhooks.
 */
export function rawBody(limit: string) {
  return express.raw({ type: () => true, limit });
}

export type { Express, Request, Response, NextFunction, Router };
