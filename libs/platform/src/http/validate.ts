import type { z } from 'zod';
import { badRequest, notFound, zodFieldErrors } from './errors.js';

/** Validates a request part; a failure is a 400 naming each bad field (prefixed with `where` for query/params). */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where?: 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  const prefix = (path: string) => (where ? `${where}.${path}` : path);
  if (!result.success) {
    const errors = zodFieldErrors(result.error).map((e) => ({ ...e, path: prefix(e.path) }));
    throw badRequest(where ? `Invalid ${where} parameters` : 'The request body is invalid', errors);
  }
  // PostgreSQL text cannot hold NUL; refuse it here, by field, rather than fail in the database.
  const nul = findNul(result.data, []);
  if (nul) throw badRequest('The request contains a NUL character', [{ path: prefix(nul.join('.') || '(body)'), message: 'must not contain NUL characters' }]);
  return result.data;
}

function findNul(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = findNul(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a uuid cannot exist, so it is a 404 like any other unknown id. */
export function uuidParam(params: Record<string, string | string[] | undefined>, name = 'id'): string {
  const value = params[name];
  if (typeof value !== 'string' || !uuidPattern.test(value)) throw notFound();
  return value.toLowerCase();
}
