import type postgres from 'postgres';

/**
 * Statements with more parameters than this stay unnamed: their text usually varies with the data
 * (a multi-row VALUES, an IN list), and each variant would be kept as a prepared statement for the
 * life of the connection.
 */
export const MAX_PREPARED_PARAMETERS = 32;

type AnySql = postgres.Sql | postgres.TransactionSql;
type Options = postgres.UnsafeQueryOptions | undefined;

/** `sql.unsafe` defaults to unnamed too; a statement without parameters goes as a simple query either way. */
export const withPrepare = (parameters: unknown[] | undefined, options: Options): Options =>
  (parameters?.length ?? 0) > 0 && (parameters?.length ?? 0) <= MAX_PREPARED_PARAMETERS ? { ...options, prepare: true } : options;

/**
 * The postgres.js client as drizzle should see it: drizzle asks for every statement it builds to be
 * unnamed (`prepare: false`), and postgres.js sends an unnamed statement with parameters in two
 * round trips (parse and describe, wait for the parameter types, then bind and execute), and
 * Postgres parses and plans it each time. Named, a statement is parsed once per connection and then
 * costs one round trip: on the event path that was a third of the round trips. Transactions and
 * savepoints hand drizzle a scoped client, which gets the same treatment.
 */
export function preparedClient<S extends AnySql>(client: S): S {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, parameters?: unknown[], options?: Options) =>
          (target as postgres.Sql).unsafe(query, parameters as postgres.ParameterOrJSON<never>[], withPrepare(parameters, options));
      }
      if (prop === 'begin' || prop === 'savepoint') {
        const original = Reflect.get(target, prop, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return original.call(target, ...args, (tx: postgres.TransactionSql) => fn(preparedClient(tx)));
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
