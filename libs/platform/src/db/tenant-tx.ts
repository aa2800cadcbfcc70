import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js';
import type { Db, Sql, Tx } from './database.js';
import { pipelinedTransaction } from './transaction.js';

/**
 * - `write` (default): READ COMMITTED, read-write; what a use case that changes data runs in.
 * - `snapshot`: REPEATABLE READ, read only. Every statement sees one snapshot, so a page of a list
 *   and its total agree even while commits land between them (under READ COMMITTED each statement
 *   takes its own). A read-only repeatable-read transaction never fails to serialise: no retry.
 */
export type TenantMode = 'write' | 'snapshot';

export interface TenantTxOptions {
  mode?: TenantMode;
}

/** A transaction whose statements row-level security limits to one agency. */
export type TenantTx = Tx & {
  /** The agency the transaction is pinned to; null until `pinAgency` for work that learns it midway. */
  readonly agencyId: string | null;
  /**
   * Pins the open transaction to an agency (signup creates the agency inside the transaction, an
   * invitation names it): every later statement runs under that agency's RLS context.
   */
  pinAgency(agencyId: string): Promise<void>;
  /** Streams a query with a server-side cursor, `rows` at a time: memory stays bounded however large the result. */
  cursor<R extends Record<string, unknown>>(query: SQL, rows: number): AsyncGenerator<R[]>;
};

/** What follows BEGIN: the mode is part of the BEGIN, not a `SET TRANSACTION` round trip after it. */
const beginOptions: Record<TenantMode, string> = {
  write: '',
  snapshot: 'isolation level repeatable read read only',
};

const PIN = "select set_config('app.agency_id', $1, true)";
const dialect = new PgDialect();

let cursorSeq = 0;

type Send = (text: string, parameters: unknown[]) => Promise<Record<string, unknown>[]>;

/** What `sendNow` and `sendUnawaited` find for a transaction `tenantTx` handed out. */
interface KitTx {
  send: Send;
  /** Takes a statement sent without waiting for it. */
  unawaited(statement: Promise<unknown>): void;
}
const kitTxs = new WeakMap<object, KitTx>();

/**
 * Sends one statement of a `tenantTx` transaction straight away, as a named statement, ahead of
 * anything issued after it and without drizzle's query builder: for the kit's own statements on
 * hot paths (the consumer's inbox insert, queued ahead of the handler's statements). Not awaited,
 * a failure still fails the transaction. Only for the transaction `tenantTx` handed out, not for a
 * savepoint inside it.
 */
export function sendNow<R extends Record<string, unknown>>(tx: Tx, text: string, parameters: unknown[]): Promise<R[]> {
  const kit = kitTxs.get(tx);
  if (!kit) throw new Error('sendNow needs the transaction tenantTx handed out');
  return kit.send(text, parameters) as Promise<R[]>;
}

/**
 * Sends a statement whose answer the use case does not need and goes on without waiting for it:
 * it goes out in one write with what is sent next, the COMMIT if nothing else, which saves a
 * round trip (an outbox insert is usually a use case's last statement). Its failure still fails
 * the transaction: a statement drizzle could not build fails it before the COMMIT is sent, and
 * one the server refuses makes the COMMIT come back as ROLLBACK (`pipelinedTransaction`). In a
 * savepoint, or a transaction `tenantTx` did not hand out, it is awaited as usual.
 */
export async function sendUnawaited(tx: Tx, statement: { execute(): Promise<unknown> }): Promise<void> {
  const kit = kitTxs.get(tx);
  if (!kit) {
    await statement.execute();
    return;
  }
  kit.unawaited(statement.execute());
}

/**
 * The one way to touch tenant data: a transaction that first sets `app.agency_id`, so forced RLS
 * limits every statement in it to that agency. Pass `null` as the agency for work that learns it
 * midway (then call `tx.pinAgency`); until then the transaction sees no tenant rows and writes none.
 *
 * Round trips are most of what a small transaction costs, so: the mode goes with BEGIN, which is
 * not waited for (`pipelinedTransaction`), and the pin is queued on the transaction's connection
 * before `fn` runs, so both go out in the same write as `fn`'s first statement and ahead of
 * anything `fn` sends (a savepoint included: drizzle builds its statements a few ticks after it
 * is asked, so the pin goes straight to postgres.js instead).
 * A failed pin fails the transaction: every later statement is refused and it rolls back.
 */
export function tenantTx<T>(db: Db, agencyId: string | null, fn: (tx: TenantTx) => Promise<T>, options: TenantTxOptions = {}): Promise<T> {
  return pipelinedTransaction(db.$client, beginOptions[options.mode ?? 'write'], async (client) => {
    // What drizzle's own db.transaction builds over the scoped client (its types disagree with it too).
    const session = new PostgresJsSession(client as unknown as Sql, dialect, undefined);
    const tx = new PostgresJsTransaction(dialect, session as never, undefined) as unknown as Tx;
    let pinned: string | null = null;
    const send: Send = (text, parameters) => client.unsafe(text, parameters as never[], { prepare: true }).execute() as unknown as Promise<Record<string, unknown>[]>;
    const pin = (id: string) => {
      pinned = id;
      return send(PIN, [id]);
    };
    const pinAgency = async (id: string) => {
      await pin(id);
    };
    let unawaitedFailure: unknown = null;
    kitTxs.set(tx, {
      send,
      unawaited: (statement) => {
        statement.catch((err: unknown) => {
          unawaitedFailure ??= err;
        });
      },
    });
    const scope = Object.assign(tx, {
      pinAgency,
      cursor: <R extends Record<string, unknown>>(query: SQL, rows: number) => cursorRows<R>(tx, query, rows),
    });
    Object.defineProperty(scope, 'agencyId', { get: () => pinned, enumerable: true, configurable: true });
    // A statement sent unawaited that failed already (one drizzle could not build fails at once)
    // fails the transaction before its COMMIT goes out.
    const settled = (result: T): T => {
      if (unawaitedFailure) throw unawaitedFailure;
      return result;
    };
    if (agencyId === null) return settled(await fn(scope as TenantTx));
    const pinning = pin(agencyId);
    // Its failure surfaces through fn's statements, or here if fn sent none.
    pinning.catch(() => {});
    const result = await fn(scope as TenantTx);
    await pinning;
    return settled(result);
  }) as Promise<T>;
}

/** DECLARE … CURSOR inside the transaction, then FETCH in steps; closed when the consumer stops early too. */
async function* cursorRows<R extends Record<string, unknown>>(tx: Tx, query: SQL, rows: number): AsyncGenerator<R[]> {
  const name = sql.identifier(`tenant_cursor_${++cursorSeq}`);
  await tx.execute(sql`declare ${name} no scroll cursor for ${query}`);
  let open = true;
  try {
    for (;;) {
      const batch = await tx.execute<R>(sql`fetch forward ${sql.raw(String(Math.max(1, Math.floor(rows))))} from ${name}`);
      if (batch.length === 0) break;
      yield [...batch] as unknown as R[];
    }
    open = false;
    await tx.execute(sql`close ${name}`);
  } finally {
    // Stopped early (the reader went away): the transaction is usually ending with an error anyway,
    // but a caller that carries on in it should not keep a portal open.
    if (open) await tx.execute(sql`close ${name}`).catch(() => {});
  }
}

/** The transaction's time to the millisecond (what timestamptz(3) stores): every row a use case writes carries it. */
export async function transactionNow(tx: Tx): Promise<Date> {
  const [row] = await tx.execute<{ now: string }>(sql`select to_json(date_trunc('milliseconds', now()))#>>'{}' as now`);
  return new Date(row?.now ?? Date.now());
}
