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

export function createDatabase(url: string, options: { max?: number; applicationName?: string } = {}): Database {
  const client = postgres(url, {
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

