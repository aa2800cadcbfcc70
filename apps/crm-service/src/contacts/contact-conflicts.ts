import { conflict } from '@atelier/platform';

/** Postgres unique_violation, looked for through driver/ORM wrappers (drizzle puts the driver error in `cause`). */
function isUniqueViolation(err: unknown, constraint: string): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const pg = e as { code?: unknown; constraint_name?: unknown };
    if (pg.code === '23505' && (pg.constraint_name === undefined || pg.constraint_name === constraint)) return true;
  }
  return false;
}

/**
 * The client lock makes a second primary impossible through this service, but the index is the
 * final word (another writer, such as an import, might not take the lock): if it fires, the
 * caller gets a 409 to retry, never a 500.
 */
export function mapPrimaryConflict(err: unknown): never {
  if (isUniqueViolation(err, 'contacts_one_primary_idx')) {
    throw conflict('Another contact of this client became primary at the same time; try again', [{ path: 'isPrimary', message: 'conflicts with another primary contact' }]);
  }
  throw err;
}
