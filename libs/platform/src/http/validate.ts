import type { z } from 'zod';
import { badRequest, notFound, zodFieldErrors } from './errors.js';

/** Validates a request part; a failure is a 400 naming each bad field (prefixed with `where` for query/params). */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where?: 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const errors = zodFieldErrors(result.error).map((e) => (where ? { ...e, path: `${where}.${e.path}` } : e));
  throw badRequest(where ? `Invalid ${where} parameters` : 'The request body is invalid', errors);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a uuid cannot exist, so it is a 404 like any other unknown id. */
export function uuidParam(params: Record<string, string | string[] | undefined>, name = 'id'): string {
  const value = params[name];
  if (typeof value !== 'string' || !uuidPattern.test(value)) throw notFound();
  return value.toLowerCase();
}
