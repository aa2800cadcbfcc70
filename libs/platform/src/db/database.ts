import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { PgTransactionConfig } from 'drizzle-orm/pg-core';

export type Db = PostgresJsDatabase;
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
    db: drizzle(client),
    check: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * The one way to touch tenant data: a transaction that first pins `app.agency_id`, so row-level
 * security limits every statement in it to that agency.
 */
export function withTenant<T>(db: Db, agencyId: string, fn: (tx: Tx) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
  return db.transaction(async (tx) => {
    await pinTenant(tx, agencyId);
    return fn(tx);
  }, config);
}

/**
 * `withTenant` for a read whose statements must agree, such as a page of a list and its total:
 * one snapshot for the whole transaction. Under the default READ COMMITTED each statement takes
 * its own, so a commit landing between them shows in one and not in the other. Read only, a
 * repeatable-read transaction never fails to serialise, so callers need no retry.
 */
export function withTenantSnapshot<T>(db: Db, agencyId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(db, agencyId, fn, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

/** Pins a transaction that is already open to one agency (for work that learns the agency midway, like signup). */
export async function pinTenant(tx: Tx, agencyId: string): Promise<void> {
  await tx.execute(sql`select set_config('app.agency_id', ${agencyId}, true)`);
}
