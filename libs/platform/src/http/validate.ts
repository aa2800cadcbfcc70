import type { Request } from 'express';
import type { z } from 'zod';
import { Uuid } from '@atelier/contracts';
import { HttpError, badRequest, notFound, zodFieldErrors } from './errors.js';

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

/** The one id check, the contract's `Uuid` (RFC 9562, any case): path ids, cursors and bodies agree on what an id is. */
export const isUuid = (value: unknown): value is string => Uuid.safeParse(value).success;

/** A path id that is not a uuid cannot exist, so it is a 404 like any other unknown id. */
export function uuidParam(params: Record<string, string | string[] | undefined>, name = 'id'): string {
  const value = params[name];
  if (!isUuid(value)) throw notFound();
  return value.toLowerCase();
}

/**
 * The JSON body of a route that takes JSON only. The kit's body parser lets uploads (multipart,
 * CSV, images) through unread for the routes that accept them; anywhere else such a body is a
 * 415, not an empty JSON object.
 */
export function jsonBodyOf(req: Request): unknown {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json') && !req.is('application/*+json')) throw new HttpError(415, 'Unsupported Media Type', 'Send the body as application/json');
  return req.body;
}
