import { badRequest } from './errors.js';

/** Keyset position after the last row of a page: the sort key's value and the row id, opaque to clients. */
export interface CursorPosition {
  key: string;
  value: string | null;
  id: string;
}

export const encodeCursor = (position: CursorPosition): string => Buffer.from(JSON.stringify(position)).toString('base64url');

export function decodeCursor(cursor: string | undefined, key: string): CursorPosition | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPosition;
    if (parsed.key === key && typeof parsed.id === 'string' && (typeof parsed.value === 'string' || parsed.value === null)) return parsed;
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('Invalid cursor', [{ path: 'query.cursor', message: 'is not a cursor from this list with this sort' }]);
}
