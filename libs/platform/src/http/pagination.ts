import { invalidField } from '../errors/domain-error.js';
import { isUuid } from './validate.js';

/** Keyset position after the last row of a page: the sort key's value and the row id, opaque to clients. */
export interface CursorPosition {
  key: string;
  value: string;
  id: string;
}

/** What a cursor's value must look like for its sort: checked before it reaches SQL, so a tampered cursor is a 400, not a failed cast. */
export type CursorValue = 'text' | 'timestamp' | ((value: string) => boolean);

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const valueChecks: Record<'text' | 'timestamp', (value: string) => boolean> = {
  text: () => true,
  timestamp: (v) => ISO_MS.test(v) && !Number.isNaN(Date.parse(v)),
};

export const encodeCursor = (position: CursorPosition): string => Buffer.from(JSON.stringify(position)).toString('base64url');

const invalidCursor = () => invalidField('list.invalid_cursor', 'query.cursor', 'is not a cursor from this list with this sort');

/**
 * The one cursor codec: base64url JSON of `{ key, value, id }`. A cursor of another list or sort
 * (`key`), an id that is not a uuid, a value with NUL or of the wrong shape for the sort are all
 * the same 400 (`list.invalid_cursor`).
 */
export function decodeCursor(cursor: string | undefined, key: string, value: CursorValue = 'text'): CursorPosition | null {
  if (!cursor) return null;
  let parsed: Partial<CursorPosition>;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPosition>;
  } catch {
    throw invalidCursor();
  }
  const check = typeof value === 'function' ? value : valueChecks[value];
  if (
    parsed?.key !== key ||
    typeof parsed.id !== 'string' ||
    !isUuid(parsed.id) ||
    typeof parsed.value !== 'string' ||
    parsed.value.includes('\u0000') ||
    !check(parsed.value)
  ) {
    throw invalidCursor();
  }
  return { key, value: parsed.value, id: parsed.id.toLowerCase() };
}
