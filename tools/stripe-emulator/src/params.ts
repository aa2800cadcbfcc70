import { invalidRequest } from './errors.js';

/**
 * What a form-encoded parameter may hold. Stripe rejects parameters it does not know
 * ("Received unknown parameter"), so the emulator does too: a caller that works here sends
 * nothing real Stripe would refuse.
 */
export type Spec =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'metadata'
  | 'range'
  | { [key: string]: Spec }
  | [Spec];

export type Params = Record<string, unknown>;

/** Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500. */
function checkMetadata(value: unknown, path: string): Record<string, string> {
  if (value === '') return {};
  if (!isRecord(value)) throw invalidRequest(`Invalid object`, path);
  const out: Record<string, string> = {};
  const entries = Object.entries(value);
  if (entries.length > 50) throw invalidRequest('Metadata can have at most 50 keys.', path);
  for (const [key, v] of entries) {
    if (key.length > 40) throw invalidRequest(`Metadata keys can have at most 40 characters (${key}).`, `${path}[${key}]`);
    if (typeof v !== 'string') throw invalidRequest('Metadata values must be strings.', `${path}[${key}]`);
    if (v.length > 500) throw invalidRequest('Metadata values can have at most 500 characters.', `${path}[${key}]`);
    // An empty value unsets the key, as in Stripe.
    if (v !== '') out[key] = v;
  }
  return out;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** qs turns `a[0]=x` into an array, but sparse or large indices into an object with numeric keys. */
function asArray(value: unknown, path: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value) && Object.keys(value).every((k) => /^\d+$/.test(k))) {
    return Object.keys(value).sort((a, b) => Number(a) - Number(b)).map((k) => value[k]);
  }
  if (value === '') return [];
  throw invalidRequest(`Invalid array`, path);
}

function check(spec: Spec, value: unknown, path: string): unknown {
  if (spec === 'string') {
    if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${path}`, path);
    return value;
  }
  if (spec === 'integer') {
    if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw invalidRequest(`Invalid integer: ${String(value)}`, path);
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw invalidRequest(`This value must be less than or equal to ${Number.MAX_SAFE_INTEGER}.`, path);
    return n;
  }
  if (spec === 'boolean') {
    if (value !== 'true' && value !== 'false') throw invalidRequest(`Invalid boolean: ${String(value)}`, path);
    return value === 'true';
  }
  if (spec === 'metadata') return checkMetadata(value, path);
  if (spec === 'range') {
    if (typeof value === 'string') return { eq: check('integer', value, path) };
    return check({ gt: 'integer', gte: 'integer', lt: 'integer', lte: 'integer' }, value, path);
  }
  if (Array.isArray(spec)) return asArray(value, path).map((item, i) => check(spec[0], item, `${path}[${i}]`));
  if (!isRecord(value)) throw invalidRequest(`Invalid object`, path);
  const out: Params = {};
  for (const [key, v] of Object.entries(value)) {
    const child = spec[key];
    const childPath = path ? `${path}[${key}]` : key;
    if (!child) throw invalidRequest(`Received unknown parameter: ${childPath}`, childPath);
    out[key] = check(child, v, childPath);
  }
  return out;
}

/** Checks a request's parameters against an endpoint's spec; `expand` is accepted everywhere. */
export function parseParams(spec: { [key: string]: Spec }, raw: unknown): Params {
  return check({ ...spec, expand: ['string'] }, raw ?? {}, '') as Params;
}

export function required<T>(value: T | undefined, param: string): T {
  if (value === undefined || value === '') throw invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
  return value;
}

export interface Range {
  eq?: number;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export function inRange(n: number, r: Range | undefined): boolean {
  if (!r) return true;
  return (r.eq === undefined || n === r.eq) && (r.gt === undefined || n > r.gt) && (r.gte === undefined || n >= r.gte) &&
    (r.lt === undefined || n < r.lt) && (r.lte === undefined || n <= r.lte);
}

export const LIST_SPEC = { limit: 'integer', starting_after: 'string', ending_before: 'string', created: 'range' } as const satisfies Record<string, Spec>;
