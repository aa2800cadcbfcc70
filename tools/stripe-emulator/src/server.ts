import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import qs from 'qs';
import { apiRouter } from './api/routes.js';
import { sendError } from './api/http.js';
import { controlsRouter } from './controls.js';
import { Emulator } from './emulator.js';
import { StripeApiError } from './errors.js';
import { newId } from './ids.js';
import { checkoutRouter } from './pages/checkout-routes.js';
import { dashboardPage } from './pages/dashboard.js';
import type { WebhookEndpoint } from './webhooks.js';

export interface StripeEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The origin browsers reach the emulator at (session URLs); http://localhost:<port> by default. */
  publicUrl?: string;
  /** Accept only this key; by default any `sk_test_…` key is accepted. */
  apiKey?: string;
  /** Endpoints that receive every event; a missing secret is generated. */
  webhooks?: { url: string; secret?: string; enabledEvents?: string[] }[];
  /** Delays between delivery attempts while an endpoint fails (default: 5 s, 30 s, 2 min, 10 min, 1 h, 6 h, 24 h). */
  retryDelaysMs?: number[];
  deliveryTimeoutMs?: number;
  /** Bank debits settle by themselves after this long; null (the default) waits for the control. */
  asyncPaymentDelayMs?: number | null;
  apiVersion?: string;
}

export interface StripeEmulator {
  /** The emulator's own origin, e.g. http://127.0.0.1:12111. */
  url: string;
  port: number;
  emulator: Emulator;
  endpoints: WebhookEndpoint[];
  /** What to give `new Stripe(apiKey, config)` to reach this emulator. */
  stripeConfig: { host: string; port: number; protocol: 'http' };
  reset(): void;
  /** Resolves when no webhook delivery is scheduled or in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 6 * 3_600_000, 24 * 3_600_000];
export const DEFAULT_API_VERSION = '2026-10-28.endive';

/** Stripe's parameter syntax (`a[b][0]=c`), deep enough for `line_items[0][price_data][product_data][name]`. */
const QS = { depth: 10, arrayLimit: 1000, parameterLimit: 10_000 } as const;

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const host = options.host ?? '127.0.0.1';
  const app = express();
  let publicUrl = options.publicUrl ?? '';
  const emulator = new Emulator({
    get publicUrl() {
      return publicUrl;
    },
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
    asyncPaymentDelayMs: options.asyncPaymentDelayMs ?? null,
  });
  for (const w of options.webhooks ?? []) emulator.webhooks.addEndpoint(w.url, w.secret, w.enabledEvents, true);

  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', (query: string) => qs.parse(query, QS));
  app.use((req, res, next) => {
    res.locals.requestId = newId.request();
    res.set('Request-Id', String(res.locals.requestId));
    if (req.path.startsWith('/v1')) res.set('Stripe-Version', req.header('stripe-version') ?? emulator.config.apiVersion);
    next();
  });
  app.use(express.text({ type: ['application/x-www-form-urlencoded', 'application/json'], limit: '1mb' }));
  app.use((req, _res, next) => {
    if (typeof req.body !== 'string') return next();
    const isJson = req.is('application/json');
    try {
      req.body = isJson ? (req.body ? JSON.parse(req.body) : {}) : qs.parse(req.body, QS);
    } catch {
      return next(new StripeApiError(400, 'invalid_request_error', 'Invalid JSON body.'));
    }
    next();
  });
  app.use('/v1', apiRouter(emulator));
  app.use('/checkout', checkoutRouter(emulator));
  app.use('/_emulator', controlsRouter(emulator));
  app.get('/', (_req, res) => {
    res.type('html').send(dashboardPage(emulator));
  });
  // What the kit's spawnService waits for: the bench runs the emulator as a process of its own.
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof StripeApiError) return sendError(res, err);
    process.stderr.write(`[stripe-emulator] ${err instanceof Error ? err.stack : String(err)}\n`);
    sendError(res, new StripeApiError(500, 'api_error', 'An unknown error occurred in the emulator.'));
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  if (!publicUrl) publicUrl = `http://localhost:${port}`;
  return {
    url,
    port,
    emulator,
    endpoints: emulator.webhooks.endpoints,
    stripeConfig: { host, port, protocol: 'http' },
    reset: () => emulator.reset(),
    idle: () => emulator.webhooks.idle(),
    async stop() {
      emulator.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
