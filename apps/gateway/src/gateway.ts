import type { Logger } from 'pino';
import { buildOpenApiDocument } from '@atelier/contracts';
import { createApp, createDatabase, createLogger, HttpError, listen, type Express, type RunningServer } from '@atelier/platform';
import { publicOrigins, type GatewayConfig } from './config.js';
import { authRoutes } from './identity/auth-routes.js';
import { Authenticator, type Authenticated } from './identity/authenticate.js';
import { originCheck } from './identity/csrf.js';
import { invitationRoutes } from './identity/invitation-routes.js';
import { LoginThrottle } from './identity/login-throttle.js';
import { memberRoutes } from './identity/member-routes.js';
import { tokenRoutes } from './identity/token-routes.js';
import { proxyMiddleware } from './proxy/proxy.js';
import { upstreams } from './proxy/routing-table.js';
import { loadWebHandler } from './web/web-app.js';

export interface Gateway {
  app: Express;
  start(): Promise<RunningServer>;
  stop(): Promise<void>;
  server: RunningServer | null;
  authenticator: Authenticator;
}

async function upstreamHealthy(url: string) {
  const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`status ${res.status}`);
}

export async function buildGateway(config: GatewayConfig, logger: Logger = createLogger('gateway', config.LOG_LEVEL)): Promise<Gateway> {
  const database = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, applicationName: 'gateway' });
  const { db } = database;
  const authenticator = new Authenticator(db, config);
  const throttle = new LoginThrottle(db, config);
  const proxy = proxyMiddleware(config, logger);
  const web = await loadWebHandler(config.WEB_BUILD_DIR, logger);
  const openApi = JSON.stringify(buildOpenApiDocument(publicOrigins(config)[0]));

  const app = createApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    readiness: {
      database: database.check,
      ...Object.fromEntries(Object.entries(upstreams(config)).map(([name, url]) => [name, () => upstreamHealthy(url)])),
    },
    before: (a) => {
      a.set('trust proxy', 'loopback');
      a.use(['/api', '/webhooks'], authenticator.middleware());
      a.use('/api', originCheck(config));
      a.use((_req, res, next) => {
        const auth = res.locals.auth as Authenticated | null;
        if (auth) res.locals.principal = { userId: auth.identity.userId, agencyId: auth.identity.agencyId, role: auth.identity.role };
        next();
      });
      a.use(proxy);
    },
    routes: (a) => {
      a.get('/api/openapi.json', (_req, res) => {
        res.type('application/json').send(openApi);
      });
      a.use(authRoutes(db, config, authenticator, throttle));
      a.use(invitationRoutes(db, config));
      a.use(memberRoutes(db, authenticator));
      a.use(tokenRoutes(db));
    },
    fallback: (a) => {
      a.use(['/api', '/webhooks'], (req, _res, next) => next(new HttpError(404, 'Not Found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`)));
      if (web) a.use(web);
      else a.use((_req, res) => res.status(503).type('text/plain').send('The web app is not built. Run `npm run build:web`.'));
    },
  });

  const gateway: Gateway = {
    app,
    server: null,
    authenticator,
    async start() {
      gateway.server = await listen(app, config.PORT, config.HOST);
      logger.info({ url: gateway.server.url }, 'gateway listening');
      return gateway.server;
    },
    async stop() {
      await gateway.server?.close();
      proxy.close();
      await database.close();
    },
  };
  return gateway;
}
