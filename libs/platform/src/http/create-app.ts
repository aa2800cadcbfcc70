import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { logContext } from '../logging/logger.js';
import { HttpError, toProblem } from './errors.js';

export type HealthCheck = () => Promise<void>;

export interface AppDeps {
  logger: Logger;
  /** Named readiness checks (database, broker); `/readyz` is 503 while any fails. */
  readiness?: Record<string, HealthCheck>;
  bodyLimit?: string;
  /** Mounted after the built-ins; return routers or register routes on `app`. */
  routes: (app: Express) => void;
  /** Runs before the routes (auth, for example). */
  before?: (app: Express) => void;
  /** Replaces the default 404 (the gateway hands unknown paths to the web app). */
  fallback?: (app: Express) => void;
}

export function sendProblem(res: Response, err: unknown) {
  const problem = toProblem(err);
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** Builds an Express app with the platform's conventions; it does not listen, so tests can bind port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.locals.requestId = requestId;
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (req.path === '/healthz' || req.path === '/readyz') return;
      deps.logger.info({ requestId, agencyId: res.locals.agencyId, method: req.method, path: req.path, status: res.statusCode, ms }, 'request');
    });
    logContext.run({ requestId }, () => next());
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
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
function jsonBody(limit: string) {
  const parse = express.json({ limit, strict: true });
  return (req: Request, res: Response, next: NextFunction) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method)) return next();
    if (req.is('multipart/form-data') || req.is('text/csv')) return next();
    if (!req.is('application/json') && !req.is('application/*+json')) {
      return next(new HttpError(415, 'Unsupported Media Type', 'Send the body as application/json'));
    }
    parse(req, res, next);
  };
}

export type { Express, Request, Response, NextFunction, Router };
