import type postgres from 'postgres';
import { withPrepare } from './prepared-client.js';
import { isConnectionCode, pgErrorCode, SqlState } from './sqlstate.js';

type Reserved = postgres.ReservedSql;

/** What a transaction's statements go through: postgres.js's scoped client, as `sql.begin` hands it out. */
export type TransactionSql = postgres.TransactionSql;

/** The reserved connection of one transaction: whether it was lost, so that it is not handed back to the pool. */
class Connection {
  lost = false;

  constructor(readonly sql: Reserved) {}

  /** Sends a statement of the kit's own (BEGIN, COMMIT, a savepoint's), noting a lost connection. */
  send(text: string, options?: postgres.UnsafeQueryOptions) {
    const query = this.sql.unsafe(text, [], options).execute();
    query.catch((err: unknown) => this.noteFailure(err));
    return query;
  }

  noteFailure(err: unknown): void {
    this.lost ||= isConnectionCode((err as { code?: string } | null)?.code);
  }
}

/**
 * One level of a transaction (the transaction itself or a savepoint): the first failure of any
 * statement sent in it, awaited or not, as postgres.js's `begin` keeps it.
 */
class Scope {
  failure: unknown = null;

  constructor(readonly connection: Connection) {}

  track<Q extends Promise<unknown>>(query: Q): Q {
    query.catch((err: unknown) => {
      this.failure ??= err;
      this.connection.noteFailure(err);
    });
    return query;
  }

  /** What to throw: the first failure rather than the "transaction is aborted" that followed it. */
  reason(err: unknown): unknown {
    return pgErrorCode(err) === SqlState.inFailedTransaction && this.failure ? this.failure : err;
  }
}

/**
 * A transaction on a reserved connection whose BEGIN does not wait for its answer: it goes out in
 * the same write as the transaction's first statement. postgres.js's own `sql.begin` awaits BEGIN
 * before it runs the callback, which costs a round trip per transaction. Same contract as
 * `sql.begin`: the callback's result once COMMIT succeeded; a ROLLBACK and the first failure if
 * the callback throws or any statement sent in it failed, awaited or not; savepoints through
 * `tx.savepoint(fn)`.
 *
 * A statement that fails after the callback returned (one it sent without awaiting) aborts the
 * transaction, and PostgreSQL answers the COMMIT behind it with ROLLBACK: that is reported as the
 * failure, never as success.
 */
export async function pipelinedTransaction<T>(client: postgres.Sql, beginOptions: string, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const connection = new Connection(await client.reserve());
  // A statement sent after the connection died never settles: everything races its closing, as in
  // postgres.js's own `begin`.
  let closed!: (err: unknown) => void;
  const connectionClosed = new Promise<never>((_, reject) => {
    closed = reject;
  });
  connectionClosed.catch(() => {});
  const orClosed = <R>(work: Promise<R>): Promise<R> => Promise.race([work, connectionClosed]);
  const onexecute = (c: { onclose: ((err?: unknown) => void) | null }) => {
    c.onclose = (err) => {
      connection.lost = true;
      closed(err ?? new Error('the database connection closed during the transaction'));
    };
    // True: the statements after BEGIN go out at once instead of waiting for its answer.
    return true;
  };
  const scope = new Scope(connection);
  try {
    scope.track(connection.send(`begin ${beginOptions}`, { onexecute } as postgres.UnsafeQueryOptions));
    let result: T;
    try {
      result = await orClosed(fn(scopedClient(scope)));
      if (scope.failure) throw scope.failure;
    } catch (err) {
      if (!connection.lost) await orClosed(connection.send('rollback')).catch(() => {});
      throw scope.reason(err);
    }
    const done = await orClosed(connection.send('commit')).catch((err: unknown) => {
      throw scope.reason(err);
    });
    if (scope.failure || done.command !== 'COMMIT') throw scope.failure ?? new Error(`the transaction ended with ${done.command}, not COMMIT`);
    return result;
  } finally {
    if (!connection.lost) connection.sql.release();
  }
}

let savepointSeq = 0;

/**
 * The reserved connection as the statements of one scope see it: every statement tracked by the
 * scope and named as `preparedClient` names them, and `savepoint` opening a nested scope.
 * Statements go through `unsafe` (drizzle's and the kit's alike); a tagged template on this
 * client would not be tracked, and none is written on it.
 */
function scopedClient(scope: Scope): TransactionSql {
  const reserved = scope.connection.sql;
  return new Proxy(reserved, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, parameters?: unknown[], options?: postgres.UnsafeQueryOptions) =>
          scope.track(target.unsafe(query, parameters as postgres.ParameterOrJSON<never>[], withPrepare(parameters, options)));
      }
      if (prop === 'savepoint') return (fn: (tx: TransactionSql) => Promise<unknown>) => savepoint(scope, fn);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  }) as unknown as TransactionSql;
}

/** The savepoint's statement is not awaited either: it goes out with the first statement inside it. */
async function savepoint<T>(outer: Scope, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const { connection } = outer;
  const name = `atelier_sp_${++savepointSeq}`;
  outer.track(connection.send(`savepoint ${name}`));
  const inner = new Scope(connection);
  try {
    const result = await fn(scopedClient(inner));
    if (inner.failure) throw inner.failure;
    await connection.send(`release savepoint ${name}`);
    return result;
  } catch (err) {
    // Back to where the savepoint began: the outer transaction goes on, and the caller decides.
    await outer.track(connection.send(`rollback to savepoint ${name}`));
    throw inner.reason(err);
  }
}
