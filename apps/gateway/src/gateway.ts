import type { Logger } from 'pino';
import { buildOpenApiDocument } from '@atelier/contracts';
import {
  BusConnection,
  createApp,
  createDatabase,
  createLogger,
  createMailer,
  housekeepingSchedule,
  HttpError,
  JobRunner,
  listen,
  OutboxRelay,
  SERVICE_SCHEMAS,
  type Express,
  type Mailer,
  type RunningServer,
} from '@atelier/platform';
import { agencyRoutes } from './agency/agency-routes.js';
import { authRoutes } from './auth/auth-routes.js';
import { isHttps, publicOrigins, trustedProxies, type GatewayConfig } from './config.js';
import { Authenticator, type Authenticated } from './identity/authenticate.js';
import { originCheck } from './identity/csrf.js';
import type { IdentityDeps } from './identity/identity-deps.js';
import { mailJob } from './identity/mail-job.js';
import { invitationRoutes } from './invitations/invitation-routes.js';
import { memberRoutes } from './members/member-routes.js';
import { passwordRoutes } from './passwords/password-routes.js';
import { ApiBudget } from './rate-limits/api-budget.js';
import { RateLimiter } from './rate-limits/rate-limiter.js';
import { sessionRoutes } from './sessions/session-routes.js';
import { tokenRoutes } from './tokens/token-routes.js';
import { proxyMiddleware } from './proxy/proxy.js';
import { upstreams } from './proxy/routing-table.js';
import { compressResponses } from './web/compression.js';
import { shellSession } from './web/shell-session.js';
import { loadWebHandler } from './web/web-app.js';

export interface Gateway {
  app: Express;
  start(): Promise<RunningServer>;
  stop(): Promise<void>;
  server: RunningServer | null;
  authenticator: Authenticator;
  /** Publishes identity events from the gateway's outbox. */
  relay: OutboxRelay;
  mailer: Mailer;
  jobs: JobRunner;
}

async function upstreamHealthy(url: string) {
  const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`status ${res.status}`);
}

export async function buildGateway(config: GatewayConfig, logger: Logger = createLogger('gateway', config.LOG_LEVEL)): Promise<Gateway> {
  const database = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, applicationName: 'gateway' });
  const { db } = database;
  const authenticator = new Authenticator(db, config);
  const limiter = new RateLimiter(db);
  const apiBudget = new ApiBudget(db, config.RATE_LIMIT_API);
  const mailer = createMailer(config, logger);
  const bus = new BusConnection(config.AMQP_URL, logger, { namespace: config.AMQP_NAMESPACE, confirmTimeoutMs: config.BUS_CONFIRM_TIMEOUT_MS });
  // The relay has a connection of its own, as in every service (see createService).
  const relayDatabase = createDatabase(config.DATABASE_URL, { max: 1, applicationName: 'gateway-relay' });
  const relay = new OutboxRelay({ sql: relayDatabase.sql, schema: SERVICE_SCHEMAS.gateway, bus, logger, pollMs: config.OUTBOX_POLL_MS });
  const schema = SERVICE_SCHEMAS.gateway;
  const jobs = new JobRunner(db, schema, logger, { concurrency: config.JOBS_CONCURRENCY, pollMs: config.JOBS_POLL_MS })
    .register(mailJob(mailer))
    .schedule(
      housekeepingSchedule(schema, {
        outboxHours: config.OUTBOX_RETENTION_HOURS,
        inboxHours: config.INBOX_RETENTION_HOURS,
        jobHours: config.JOB_RETENTION_HOURS,
        failedJobHours: config.FAILED_JOB_RETENTION_HOURS,
      }),
    );
  const deps: IdentityDeps = { db, config, auth: authenticator, limiter, mailer, jobs, logger };
  const proxy = proxyMiddleware(config, logger);
  const web = await loadWebHandler(config.WEB_BUILD_DIR, logger);
  const openApi = JSON.stringify(buildOpenApiDocument(publicOrigins(config)[0]));

  const app = createApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    https: isHttps(config),
    readiness: {
      database: database.check,
      ...Object.fromEntries(Object.entries(upstreams(config)).map(([name, url]) => [name, () => upstreamHealthy(url)])),
    },
    before: (a) => {
      a.set('trust proxy', trustedProxies(config));
      a.use(compressResponses());
      a.use(['/api', '/webhooks'], authenticator.middleware());
      a.use('/api', originCheck(config));
      a.use('/api', apiBudget.middleware());
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
      a.use(authRoutes(deps));
      a.use(passwordRoutes(deps));
      a.use(sessionRoutes(deps));
      a.use(invitationRoutes(deps));
      a.use(memberRoutes(deps));
      a.use(tokenRoutes(deps));
      a.use(agencyRoutes(deps));
    },
    fallback: (a) => {
      a.use(['/api', '/webhooks'], (req, _res, next) => next(new HttpError(404, 'Not Found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`)));
      if (web) a.use(shellSession(authenticator), web);
      else a.use((_req, res) => res.status(503).type('text/plain').send('The web app is not built. Run `npm run build:web`.'));
    },
  });

  const gateway: Gateway = {
    app,
    server: null,
    authenticator,
    relay,
    mailer,
    jobs,
    async start() {
      await bus.start();
      await relay.start();
      limiter.startPruning();
      jobs.start();
      gateway.server = await listen(app, config.PORT, config.HOST);
      logger.info({ url: gateway.server.url }, 'gateway listening');
      return gateway.server;
    },
    async stop() {
      await gateway.server?.close();
      proxy.close();
      limiter.stop();
      await jobs.stop();
      await relay.flush().catch(() => {});
      await relay.stop();
      await bus.close();
      await mailer.close();
      await relayDatabase.close();
      await database.close();
    },
  };
  return gateway;
}
