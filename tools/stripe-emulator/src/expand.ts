import { invalidRequest } from './errors.js';
import { isRecord } from './params.js';

export interface ExpandContext {
  /** The stored object an id names, if any. */
  resolve(id: string): object | undefined;
  /** Fields that are not on the object until expanded (a session's `line_items`). */
  virtual(owner: Record<string, unknown>, field: string): unknown;
}

const MAX_DEPTH = 4;

/**
 * Expands dotted paths the way Stripe does: each segment names a field holding an id (or
 * already an object); `data` steps into a list's items. The stored objects are never touched.
 */
export function expand<T extends object>(object: T, paths: readonly string[] | undefined, ctx: ExpandContext): T {
  const copy = structuredClone(object);
  for (const path of paths ?? []) {
    const segments = path.split('.');
    if (segments.length > MAX_DEPTH) throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, 'expand');
    step(copy as Record<string, unknown>, segments, path, ctx);
  }
  return copy;
}

function step(target: Record<string, unknown>, segments: string[], path: string, ctx: ExpandContext): void {
  const [field, ...rest] = segments as [string, ...string[]];
  if (target.object === 'list' && field === 'data' && Array.isArray(target.data)) {
    if (rest.length === 0) throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
    for (const item of target.data) if (isRecord(item)) step(item, rest, path, ctx);
    return;
  }
  let value = field in target ? target[field] : ctx.virtual(target, field);
  if (value === undefined) throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
  if (typeof value === 'string') {
    const resolved = ctx.resolve(value);
    if (!resolved) throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
    value = structuredClone(resolved);
  }
  target[field] = value;
  if (value === null) return;
  // Only ids and objects already expanded (which carry `object`) can be; plain hashes like metadata cannot.
  if (!isRecord(value) || typeof value.object !== 'string') throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
  if (rest.length > 0) step(value, rest, path, ctx);
}
