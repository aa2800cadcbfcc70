import type postgres from 'postgres';
import { preparedClient } from './prepared-client.js';

type Reserved = postgres.ReservedSql;

/** What a transaction's statements go through: postgres.js's scoped client, as `sql.begin` hands it out. */
export type TransactionSql = postgres.TransactionSql;

/** The connection itself is gone: postgres.js has taken it out of its pool, and it must not be handed back. */
const isConnectionLost = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('CONNECTION_') || /^(ECONN|EPIPE|ETIMEDOUT)/.test(code));
};

/** A statement refused because an earlier one failed: the earlier failure is the one to report. */
const isAbortedTransaction = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === '25P02';

/**
 * One level of a transaction (the transaction itself or a savepoint): the first failure of any
 * statement sent in it, awaited or not, as postgres.js's `begin` keeps it.
 */
class Scope {
  failure: unknown = null;

  track<Q extends Promise<unknown>>(query: Q): Q {
    query.catch((err: unknown) => {
      this.failure ??= err;
    });
    return query;
  }

  /** What to throw: the first failure rather than the "transaction is aborted" that followed it. */
  reason(err: unknown): unknown {
    return isAbortedTransaction(err) && this.failure ? this.failure : err;
  }
}

/**
 * A transaction on a reserved connection whose BEGIN does not wait for its answer: it goes out in
 * the same write as the transaction's first statement. postgres.js's own `sql.begin` awaits BEGIN
 * before it runs the callback, which costs a round trip per transaction (a sixth of the round trips
 * of a webhook's intake). Same contract as `sql.begin`: the callback's result once COMMIT
 * succeeded; a ROLLBACK and the first failure if the callback throws or any statement sent in it
 * failed, awaited or not; savepoints through `tx.savepoint(fn)`.
 *
 * A statement that fails after the callback returned (one it sent without awaiting) aborts the
 * transaction, and PostgreSQL answers the COMMIT behind it with ROLLBACK: that is reported as the
 * failure, never as success.
 */
export async function pipelinedTransaction<T>(client: postgres.Sql, beginOptions: string, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const connection = await client.reserve();
  let lost = false;
  const watch = <Q extends Promise<unknown>>(query: Q): Q => {
    query.catch((err: unknown) => {
      lost ||= isConnectionLost(err);
    });
    return query;
  };
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
      lost = true;
      closed(err ?? new Error('the database connection closed during the transaction'));
    };
    // True: the statements after BEGIN go out at once instead of waiting for its answer.
    return true;
  };
  const scope = new Scope();
  const tx = scopedClient(connection, scope, watch);
  try {
    scope.track(watch(connection.unsafe(`begin ${beginOptions}`, [], { onexecute } as postgres.UnsafeQueryOptions).execute()));
    let result: T;
    try {
      result = await orClosed(fn(tx));
      if (scope.failure) throw scope.failure;
    } catch (err) {
      if (!lost) await orClosed(watch(connection.unsafe('rollback').execute())).catch(() => {});
      throw scope.reason(err);
    }
    const done = await orClosed(watch(connection.unsafe('commit').execute())).catch((err: unknown) => {
      throw scope.reason(err);
    });
    if (scope.failure || done.command !== 'COMMIT') throw scope.failure ?? new Error(`the transaction ended with ${done.command}, not COMMIT`);
    return result;
  } finally {
    if (!lost) connection.release();
  }
}

let savepointSeq = 0;

/**
 * The reserved connection as the transaction's statements see it: every statement tracked by its
 * scope, named as `preparedClient` names them, and `savepoint` opening a nested scope. The
 * savepoint's statement is not awaited either: it goes out with the first statement inside it.
 */
function scopedClient(connection: Reserved, scope: Scope, watch: <Q extends Promise<unknown>>(q: Q) => Q): TransactionSql {
  // Statements go through `unsafe` (drizzle's and the kit's alike); a tagged template on this
  // client would not be tracked, and none is written on it.
  const tracked = new Proxy(connection, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (...args: Parameters<Reserved['unsafe']>) => scope.track(watch(target.unsafe(...args)));
      }
      if (prop === 'savepoint') return (fn: (tx: TransactionSql) => Promise<unknown>) => savepoint(connection, scope, watch, fn);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return preparedClient(tracked as unknown as TransactionSql);
}

async function savepoint<T>(
  connection: Reserved,
  outer: Scope,
  watch: <Q extends Promise<unknown>>(q: Q) => Q,
  fn: (tx: TransactionSql) => Promise<T>,
): Promise<T> {
  const name = `atelier_sp_${++savepointSeq}`;
  outer.track(watch(connection.unsafe(`savepoint ${name}`).execute()));
  const inner = new Scope();
  try {
    const result = await fn(scopedClient(connection, inner, watch));
    if (inner.failure) throw inner.failure;
    await watch(connection.unsafe(`release savepoint ${name}`).execute());
    return result;
  } catch (err) {
    // Back to where the savepoint began: the outer transaction goes on, and the caller decides.
    await outer.track(watch(connection.unsafe(`rollback to savepoint ${name}`).execute()));
    throw inner.reason(err);
  }
}
