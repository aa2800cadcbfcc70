import type { Express } from 'express';
import type { Logger } from 'pino';
import { internalAuth } from '../auth/guards.js';
import { BusConnection } from '../bus/connection.js';
import { Consumer, type ConsumerSpec } from '../bus/consumer.js';
import { OutboxRelay } from '../bus/relay.js';
import type { ServiceEnv } from '../config/load-config.js';
import { createDatabase, type Database } from '../db/database.js';
import { SERVICE_SCHEMAS, type ServiceName } from '../db/roles.js';
import { createApp } from '../http/create-app.js';
import { listen, shutdownOnSignals, type RunningServer } from '../http/serve.js';
import { createLogger } from '../logging/logger.js';

export interface ServiceContext<C extends ServiceEnv = ServiceEnv> {
  name: ServiceName;
  config: C;
  logger: Logger;
  database: Database;
  bus: BusConnection;
}

/** A background task of the service (a job runner, for example): started with it, stopped before its pools close. */
export interface BackgroundWorker {
  start(): Promise<void> | void;
  /** Finish or hand back the work in hand; resolves when nothing runs any more. */
  stop(): Promise<void>;
}

export interface ServiceDefinition {
  /** Domain routes; a service without public routes still serves /healthz and /readyz. */
  routes?: (app: Express) => void;
  consumers?: ConsumerSpec[];
  /** Whether the service writes events (then it runs an outbox relay). */
  publishes?: boolean;
  /** Started after the consumers, stopped after the HTTP server and before the consumers. */
  workers?: BackgroundWorker[];
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
  const bus = new BusConnection(config.AMQP_URL, log, config.AMQP_NAMESPACE);
  const ctx: ServiceContext<C> = { name, config, logger: log, database, bus };
  const definition = define(ctx);
  const schema = SERVICE_SCHEMAS[name];

  const app = createApp({
    logger: log,
    bodyLimit: config.BODY_LIMIT,
    readiness: { database: database.check, broker: () => bus.check() },
    before: (a) => a.use(internalAuth(config.INTERNAL_TOKEN_SECRET)),
    routes: definition.routes ?? (() => {}),
  });
  // The relay gets a connection of its own: behind busy request and consumer transactions in the
  // shared pool it would wait, and every event with it.
  const relayDatabase = definition.publishes ? createDatabase(config.DATABASE_URL, { max: 1, applicationName: `${name}-relay` }) : null;
  const relay = relayDatabase ? new OutboxRelay({ sql: relayDatabase.sql, schema, bus, logger: log, pollMs: config.OUTBOX_POLL_MS }) : null;
  const consumers = (definition.consumers ?? []).map(
    (spec) => new Consumer(bus, database.db, { schema }, { ...spec, retryDelaysMs: spec.retryDelaysMs ?? config.BUS_RETRY_DELAYS_MS }, log),
  );

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
      service.server = await listen(app, config.PORT, config.HOST);
      log.info({ url: service.server.url }, `${name} listening`);
      return service.server;
    },
    async stop() {
      await service.server?.close();
      for (const w of definition.workers ?? []) await w.stop();
      for (const c of consumers) await c.stop();
      if (relay) {
        await relay.flush().catch(() => {});
        await relay.stop();
      }
      await bus.close();
      await relayDatabase?.close();
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
