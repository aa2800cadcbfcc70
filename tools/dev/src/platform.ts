import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { bootstrapDatabase, brokerUrlFor, ensureBrokerUsers, migrateService, roleUrl, schemaOwnerRole, serviceRole } from '@atelier/platform';
import { deleteBusNamespace, repoRoot, spawnService, type ChildService } from '@atelier/platform/testing';
import { apps } from './services.js';

export interface PlatformOptions {
  adminUrl: string;
  database: string;
  amqpUrl: string;
  /** Bus namespace (empty in dev; tests and benchmarks use their own). */
  namespace?: string;
  /** Port of the gateway; 0 picks a free one. Services get free ports unless `servicePorts` is set. */
  gatewayPort: number;
  servicePorts?: 'default' | 'free';
  publicOrigin?: string;
  logLevel?: string;
  extraEnv?: Record<string, string>;
  log?: (line: string) => void;
  /** Receives each service's raw output (JSON log lines). */
  onOutput?: (service: string, chunk: string) => void;
}

export interface Platform {
  url: string;
  services: Record<string, ChildService>;
  stop(): Promise<void>;
}

/** Creates the database, roles and schemas if needed, and applies every service's migrations. */
export async function prepareDatabase(adminUrl: string, database: string): Promise<void> {
  await bootstrapDatabase(adminUrl, database);
  for (const app of apps) {
    await migrateService(roleUrl(adminUrl, schemaOwnerRole(app.service), database), app.service, path.join(repoRoot, app.dir, 'drizzle'));
  }
}

const newestMtime = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
};

/** Builds the web app when its build is missing or older than its sources. */
export async function buildWebIfStale(log: (line: string) => void = () => {}): Promise<void> {
  const web = path.join(repoRoot, 'apps/web');
  const handler = path.join(web, 'build/handler.js');
  if (existsSync(handler) && statSync(handler).mtimeMs >= newestMtime(path.join(web, 'src'))) return;
  log('building the web app…');
  await promisify(execFile)('npm', ['run', 'build'], { cwd: web, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * A service's heap limit. V8 sizes it from the machine (4 GB here) and collects lazily up to it:
 * crm-service peaked at 290 MB during a 100,000-row import with a live heap far smaller. With the
 * limit it stays near 210 MB. docker-compose.yml sets the same.
 */
const SERVICE_HEAP = '--max-old-space-size=192';

/** Starts every service and the gateway as child processes against one database and bus namespace. */
export async function startPlatform(o: PlatformOptions): Promise<Platform> {
  const services: Record<string, ChildService> = {};
  const common = {
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    NODE_OPTIONS: [process.env.NODE_OPTIONS, SERVICE_HEAP].filter(Boolean).join(' '),
    LOG_LEVEL: o.logLevel ?? 'info',
    AMQP_URL: o.amqpUrl,
    AMQP_NAMESPACE: o.namespace ?? '',
    ...o.extraEnv,
  };
  const upstreamUrls: Record<string, string> = {};
  // One broker user per service, allowed to publish only its own events; where the broker has no
  // management API, every service uses the given URL's user (guest in development).
  const ownBrokerUsers = await ensureBrokerUsers(o.amqpUrl, { namespace: o.namespace ?? '' });
  if (!ownBrokerUsers) o.log?.('RabbitMQ management API not reachable: all services use the AMQP_URL user (no per-service publish permissions)');
  try {
    for (const app of apps) {
      const isGateway = app.service === 'gateway';
      const port = isGateway ? o.gatewayPort : o.servicePorts === 'default' ? app.defaultPort : 0;
      const env: NodeJS.ProcessEnv = {
        ...common,
        DATABASE_URL: roleUrl(o.adminUrl, serviceRole(app.service), o.database),
        ...(ownBrokerUsers ? { AMQP_URL: brokerUrlFor(o.amqpUrl, app.service) } : {}),
        DATABASE_OWNER_URL: roleUrl(o.adminUrl, schemaOwnerRole(app.service), o.database),
        PORT: String(port),
        ...(isGateway ? { ...upstreamUrls, HOST: '0.0.0.0', ...(o.publicOrigin ? { PUBLIC_ORIGIN: o.publicOrigin } : {}) } : {}),
        // Invoice links (`/i/<token>`) in billing's emails and DTOs name the web app's origin.
        ...((app.service === 'billing' || app.service === 'payments') && o.publicOrigin ? { PUBLIC_ORIGIN: o.publicOrigin } : {}),
      };
      const child = await spawnService(app.service, app.entry, env, 60_000, o.onOutput && ((chunk) => o.onOutput!(app.service, chunk)));
      services[app.service] = child;
      if (app.urlVar) upstreamUrls[app.urlVar] = child.url;
      o.log?.(`${app.service} ready at ${child.url}`);
    }
  } catch (err) {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    throw err;
  }
  const gateway = services.gateway!;
  return {
    url: gateway.url.replace('127.0.0.1', 'localhost'),
    services,
    async stop() {
      await gateway.stop();
      await Promise.all(Object.entries(services).filter(([n]) => n !== 'gateway').map(([, s]) => s.stop()));
      if (o.namespace) {
        const delays = (o.extraEnv?.BUS_RETRY_DELAYS_MS ?? '1000,5000,30000,120000').split(',').map(Number);
        await deleteBusNamespace(o.amqpUrl, o.namespace, apps.flatMap((a) => a.consumerQueues), delays).catch(() => {});
      }
    },
  };
}
