/** The driver error behind a failure: postgres.js throws it, drizzle wraps it in `cause` (possibly more than once). */
function driverError(err: unknown): { code: string; constraint_name?: unknown } | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e as { code: string; constraint_name?: unknown };
  }
  return undefined;
}

/** The SQLSTATE of a database error, whether thrown by postgres.js or wrapped by drizzle. */
export const pgErrorCode = (err: unknown): string | undefined => driverError(err)?.code;

/** SQLSTATEs the kit and services act on, by name. */
export const SqlState = {
  uniqueViolation: '23505',
  serializationFailure: '40001',
  deadlock: '40P01',
  lockNotAvailable: '55P03',
  readOnlyTransaction: '25006',
  inFailedTransaction: '25P02',
} as const;

/**
 * postgres.js's own codes for a connection that is gone (`CONNECTION_CLOSED`, `CONNECTION_ENDED`,
 * `CONNECT_TIMEOUT` …) and the socket's (`ECONNRESET`, `EPIPE`, `ETIMEDOUT`): no SQLSTATE, the
 * server never answered.
 */
export const isConnectionCode = (code: string | undefined): boolean => !!code && /^(ECONN|EPIPE|ETIMEDOUT|CONNECT|CONNECTION_)/.test(code);

/** A unique_violation, of `constraint` when one is named (a driver that reports no constraint name matches any). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = driverError(err);
  if (e?.code !== SqlState.uniqueViolation) return false;
  return constraint === undefined || e.constraint_name === undefined || e.constraint_name === constraint;
}

/** Class 22 (data exception): a value the database cannot store slipped past validation. */
export const isDataException = (err: unknown): boolean => pgErrorCode(err)?.startsWith('22') ?? false;

/** Worth running the same transaction again: a serialization failure, a deadlock or a lock timeout. */
export const isTransient = (err: unknown): boolean => {
  const code = pgErrorCode(err);
  return code === SqlState.serializationFailure || code === SqlState.deadlock || code === SqlState.lockNotAvailable;
};
