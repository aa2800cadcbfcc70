import { browser } from '$app/environment';
import { goto } from '$app/navigation';

import type { Problem } from '@atelier/contracts';
import { queryString, type QueryValues } from '$lib/data/query-string';

/** One invalid field, as reported in a problem document's `errors`. */
export type ProblemFieldError = NonNullable<Problem['errors']>[number];

/** A failed API call. `status` is 0 when the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** The kit's stable error code (`contact.primary_conflict`), when the problem has one. */
  readonly code: string | undefined;
  readonly errors: ProblemFieldError[];
  /** Field errors keyed by path, e.g. `name` or `address.city` (first message per path wins). */
  readonly fieldErrors: Record<string, string>;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.code = problem.code;
    this.errors = problem.errors ?? [];
    // The first message per path; a Map, so a path such as "constructor" or "__proto__" is a path like any other.
    const first = new Map<string, string>();
    for (const e of this.errors) if (!first.has(e.path)) first.set(e.path, e.message);
    this.fieldErrors = Object.fromEntries(first);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: QueryValues;
  signal?: AbortSignal;
  /** Send the user to /login on 401 (default true; auth pages turn it off). */
  redirectOn401?: boolean;
}

export { queryString };

function normalisePath(path: unknown): string {
  if (Array.isArray(path)) return path.map(String).join('.');
  return typeof path === 'string' ? path : String(path ?? '');
}

function toProblem(status: number, statusText: string, body: unknown): Problem {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const errors = Array.isArray(b.errors)
      ? b.errors
          .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
          .map((e) => ({ path: normalisePath(e.path), message: String(e.message ?? 'is invalid') }))
      : undefined;
    return {
      type: typeof b.type === 'string' ? b.type : 'about:blank',
      title: typeof b.title === 'string' ? b.title : statusText || `HTTP ${status}`,
      status: typeof b.status === 'number' ? b.status : status,
      ...(typeof b.detail === 'string' ? { detail: b.detail } : {}),
      ...(typeof b.code === 'string' ? { code: b.code } : {}),
      ...(errors ? { errors } : {}),
    };
  }
  return { type: 'about:blank', title: statusText || `HTTP ${status}`, status };
}

let redirecting = false;

function redirectToLogin(): void {
  if (!browser || redirecting) return;
  const here = window.location.pathname + window.location.search;
  if (window.location.pathname === '/login' || window.location.pathname === '/signup') return;
  redirecting = true;
  const next = here && here !== '/' ? `?next=${encodeURIComponent(here)}` : '';
  void goto(`/login${next}`, { replaceState: true }).finally(() => {
    redirecting = false;
  });
}

/** Calls the same-origin JSON API. Resolves with the parsed body (undefined for 204); rejects with ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, signal, redirectOn401 = true } = options;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  // A FormData body is sent as multipart; the browser sets the boundary in Content-Type.
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(path + queryString(query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: isForm ? (body as FormData) : JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: 'Could not reach the server.',
    });
  }

  const contentType = res.headers.get('content-type') ?? '';
  let parsed: unknown = undefined;
  if (res.status !== 204 && /json/i.test(contentType)) {
    try {
      parsed = await res.json();
    } catch (err) {
      // An abort after the headers arrived fails the body read: that is still an abort, not an
      // empty answer, or the caller would take a superseded request for a successful one.
      if (isAbortError(err)) throw err;
      parsed = undefined;
    }
  }

  if (!res.ok) {
    if (res.status === 401 && redirectOn401) redirectToLogin();
    throw new ApiError(toProblem(res.status, res.statusText, parsed));
  }
  return parsed as T;
}

export const isAbortError = (err: unknown): boolean =>
  err instanceof DOMException ? err.name === 'AbortError' : (err as { name?: string } | null)?.name === 'AbortError';
