import { existsSync } from 'node:fs';
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { preparedClient } from './prepared-client.js';

/** drizzle over postgres.js; `$client` is the postgres.js client (tenantTx opens its transactions there). */
export type Db = PostgresJsDatabase & { $client: postgres.Sql };
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Sql = postgres.Sql;

export interface Database {
  sql: Sql;
  db: Db;
  /** Readiness: one round trip. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** The folder of the local server's Unix-domain socket on Debian and Ubuntu (libpq's compiled-in default there). */
const LOCAL_SOCKET_DIR = '/var/run/postgresql';

/**
 * A postgres.js client for a URL that may name a Unix-domain socket the way libpq does,
 * `postgres://user@localhost/db?host=/var/run/postgresql` (postgres.js reads no `host` from the
 * query). On one machine a socket costs each round trip less CPU than loopback TCP, in the
 * client and the server alike (docs/runbook.md › Database connections).
 */
export function postgresClient(url: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): Sql {
  const parsed = new URL(url);
  const host = parsed.searchParams.get('host');
  if (!host?.startsWith('/')) return postgres(url, options);
  parsed.searchParams.delete('host');
  return postgres(parsed.toString(), { ...options, host });
}

/**
 * The superuser URL the dev tools (`npm start`, the bench, `db:bootstrap`) default to: the local
 * server's socket when there is one, as libpq itself prefers, else loopback TCP.
 */
export function localAdminUrl(): string {
  return existsSync(`${LOCAL_SOCKET_DIR}/.s.PGSQL.5432`) ? `postgres://postgres@localhost/postgres?host=${LOCAL_SOCKET_DIR}` : 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function createDatabase(url: string, options: { max?: number; applicationName?: string } = {}): Database {
  const client = postgresClient(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'atelier' },
  });
  return {
    sql: client,
    db: drizzle(preparedClient(client)),
    check: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

