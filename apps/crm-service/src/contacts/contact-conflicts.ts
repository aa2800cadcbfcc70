import { conflictError, isUniqueViolation } from '@atelier/platform';

/**
 * The client lock makes a second primary impossible through `ContactBatch`, but the index is the
 * final word (another writer might not take the lock): if it fires, the caller gets a 409 to
 * retry (`contact.primary_conflict`), never a 500.
 */
export function mapPrimaryConflict(err: unknown): never {
  if (isUniqueViolation(err, 'contacts_one_primary_idx')) {
    throw conflictError('contact.primary_conflict', 'Another contact of this client became primary at the same time; try again', [
      { path: 'isPrimary', message: 'conflicts with another primary contact' },
    ]);
  }
  throw err;
}
