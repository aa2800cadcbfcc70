import type { Express } from 'express';
import type { Logger } from 'pino';
import type { RequestHandler } from 'express';
import { internalAuth, requireUser } from '../auth/guards.js';
import { BlobStore, type BlobTracking } from '../blobs/blob-store.js';
import { BusConnection } from '../bus/connection.js';
import { Consumer, type ConsumerSpec } from '../bus/consumer.js';
import { OutboxRelay } from '../bus/relay.js';
import type { ServiceEnv } from '../config/load-config.js';
import { createDatabase, type Database } from '../db/database.js';
import { SERVICE_SCHEMAS, type ServiceName } from '../db/roles.js';
import { createApp, jsonBody, rawBody } from '../http/create-app.js';
import { listen, shutdownOnSignals, type RunningServer } from '../http/serve.js';
import { housekeepingSchedule } from '../jobs/housekeeping.js';
import type { JobDefinition, ScheduleDefinition } from '../jobs/job-definitions.js';
import { JobRunner, type JobRunnerOptions } from '../jobs/job-runner.js';
import { createLogger } from '../logging/logger.js';

export interface ServiceContext<C extends ServiceEnv = ServiceEnv> {
  name: ServiceName;
  config: C;
  logger: Logger;
  database: Database;
  bus: BusConnection;
  /** The service's job runner: `jobs.enqueue(tx, …)` in a use case's transaction, `jobs.wake()` after it commits. */
  jobs: JobRunner;
  /** The service's blob store (`BLOB_STORE`); usable once the definition declares `blobs`. */
  blobs: BlobStore;
}

/** A background task of the service (a job runner, for example): started with it, stopped before its pools close. */
export interface BackgroundWorker {
  start(): Promise<void> | void;
  /** Finish or hand back the work in hand; resolves when nothing runs any more. */
  stop(): Promise<void>;
}

/**
 * A route the gateway forwards without a session (`/api/public/*`, `/webhooks/*`), with the system
 * principal: `res.locals.system` is true and there is no `res.locals.principal`. `raw` routes get
 * the body byte for byte as a Buffer in `req.body` (a signature over it must verify) instead of
 * parsed JSON.
 */
export interface PublicRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  raw?: boolean;
  handler: RequestHandler;
}

export interface ServiceDefinition {
  /** Domain routes, for signed-in users; a service without routes still serves /healthz and /readyz. */
  routes?: (app: Express) => void;
  /** Routes that need no session (see `PublicRoute`); every other route refuses the system principal. */
  publicRoutes?: PublicRoute[];
  consumers?: ConsumerSpec[];
  /** Whether the service writes events (then it runs an outbox relay). */
  publishes?: boolean;
  /** Started after the consumers, stopped after the HTTP server and before the consumers. */
  workers?: BackgroundWorker[];
  /** Job handlers of the service, run by the kit's runner on its `jobs` table (see `libs/platform/src/jobs`). */
  jobs?: JobDefinition[];
  /** Recurring schedules (fired once per slot across replicas), beside the kit's own housekeeping. */
  schedules?: ScheduleDefinition[];
  /** What keeps the service's blobs alive: the kit's collection job deletes those no live reference names. */
  blobs?: BlobTracking;
  /** Runner tuning (tests use short polls and leases). */
  jobRunner?: Partial<JobRunnerOptions>;
}

export interface Service<C extends ServiceEnv = ServiceEnv> {
  ctx: ServiceContext<C>;
  app: Express;
  relay: OutboxRelay | null;
  consumers: Consumer[];
  server: RunningServer | null;
  start(): Promise<RunningServer>;
  stop(): Promise<void>;
}

/** Wires a domain service into the kit: HTTP app behind internal auth, database, bus, relay and consumers. */
export function createService<C extends ServiceEnv>(name: ServiceName, config: C, define: (ctx: ServiceContext<C>) => ServiceDefinition, logger?: Logger): Service<C> {
  const log = logger ?? createLogger(name, config.LOG_LEVEL);
  const database = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, applicationName: name });
  const bus = new BusConnection(config.AMQP_URL, log, { namespace: config.AMQP_NAMESPACE, confirmTimeoutMs: config.BUS_CONFIRM_TIMEOUT_MS });
  const schema = SERVICE_SCHEMAS[name];
  if (name === 'gateway') throw new Error('the gateway is not a kit service');
  const jobs = new JobRunner(database.db, schema, log, {
    concurrency: config.JOBS_CONCURRENCY,
    pollMs: config.JOBS_POLL_MS,
    leaseMs: config.JOBS_LEASE_MS,
    heartbeatMs: Math.max(Math.floor(config.JOBS_LEASE_MS / 3), 100),
  });
  const blobs = new BlobStore(database.db, schema, config, jobs);
  const ctx: ServiceContext<C> = { name, config, logger: log, database, bus, jobs, blobs };
  const definition = define(ctx);
  if (definition.blobs) blobs.track(definition.blobs);
  const housekeeping = housekeepingSchedule(schema, {
    outboxHours: config.OUTBOX_RETENTION_HOURS,
    inboxHours: config.INBOX_RETENTION_HOURS,
    jobHours: config.JOB_RETENTION_HOURS,
    failedJobHours: config.FAILED_JOB_RETENTION_HOURS,
  });
  jobs
    .configure(definition.jobRunner ?? {})
    .register(...(definition.jobs ?? []), ...(definition.blobs ? [blobs.collector] : []))
    .schedule(housekeeping, ...(definition.schedules ?? []));

  // The relay gets a connection of its own: behind busy request and consumer transactions in the
  // shared pool it would wait, and every event with it.
  const relayDatabase = definition.publishes ? createDatabase(config.DATABASE_URL, { max: 1, applicationName: `${name}-relay` }) : null;
  const relay = relayDatabase ? new OutboxRelay({ sql: relayDatabase.sql, schema, bus, logger: log, pollMs: config.OUTBOX_POLL_MS }) : null;
  // Consumers have a pool of their own too, so that a burst of events waits for these connections
  // instead of taking the ones HTTP requests need.
  const specs = definition.consumers ?? [];
  const consumerDatabase = specs.length ? createDatabase(config.DATABASE_URL, { max: config.BUS_CONSUMER_POOL_SIZE, applicationName: `${name}-consumers` }) : null;
  const consumers = consumerDatabase
    ? specs.map((spec) => new Consumer(bus, consumerDatabase.db, { schema }, { ...spec, retryDelaysMs: spec.retryDelaysMs ?? config.BUS_RETRY_DELAYS_MS }, log))
    : [];

  const app = createApp({
    logger: log,
    name,
    bodyLimit: config.BODY_LIMIT,
    // Each consumer on its own: a connection that is up says nothing about a subscription the broker cancelled.
    readiness: { database: database.check, broker: () => bus.check(), ...Object.fromEntries(consumers.map((c) => [`consumer:${c.name}`, () => c.check()])) },
    before: (a) => {
      a.use(internalAuth(config.INTERNAL_TOKEN_SECRET, name));
      for (const r of definition.publicRoutes ?? []) a[r.method](r.path, r.raw ? rawBody(config.BODY_LIMIT) : jsonBody(config.BODY_LIMIT), r.handler);
      a.use(requireUser());
    },
    routes: definition.routes ?? (() => {}),
  });

  const service: Service<C> = {
    ctx,
    app,
    relay,
    consumers,
    server: null,
    async start() {
      await bus.start();
      await relay?.start();
      for (const c of consumers) await c.start();
      for (const w of definition.workers ?? []) await w.start();
      jobs.start();
      service.server = await listen(app, config.PORT, config.HOST);
      log.info({ url: service.server.url }, `${name} listening`);
      return service.server;
    },
    async stop() {
      await service.server?.close();
      await jobs.stop();
      for (const w of definition.workers ?? []) await w.stop();
      for (const c of consumers) await c.stop();
      if (relay) {
        await relay.flush().catch(() => {});
        await relay.stop();
      }
      await bus.close();
      await relayDatabase?.close();
      await consumerDatabase?.close();
      blobs.close();
      await database.close();
    },
  };
  return service;
}

/** Entry point of a service process: start, and stop gracefully on SIGINT/SIGTERM. */
export async function runService(service: Service): Promise<void> {
  try {
    await service.start();
  } catch (err) {
    service.ctx.logger.fatal({ err }, 'failed to start');
    process.exit(1);
  }
  shutdownOnSignals(service.ctx.logger, [{ name: 'service', close: () => service.stop() }]);
}
