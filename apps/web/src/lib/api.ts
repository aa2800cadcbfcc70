import { browser } from '$app/environment';
import { goto } from '$app/navigation';

/** One invalid field, as reported in a problem document's `errors`. */
export interface ProblemFieldError {
  path: string;
  message: string;
}

/** An `application/problem+json` document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemFieldError[];
}

/** A failed API call. `status` is 0 when the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
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
    this.errors = problem.errors ?? [];
    const map: Record<string, string> = {};
    for (const e of this.errors) {
      if (!(e.path in map)) map[e.path] = e.message;
    }
    this.fieldErrors = map;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
  /** Send the user to /login on 401 (default true; auth pages turn it off). */
  redirectOn401?: boolean;
}

/** Builds `?a=1&b=2`, leaving out undefined, null and empty-string values. */
export function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

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

/** A sentence a person can act on, for any error thrown by `api`. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) {
    return 'Something unexpected went wrong. Please try again.';
  }
  switch (err.status) {
    case 0:
      return 'Could not reach the server. Check your connection and try again.';
    case 400:
      return err.errors.length
        ? 'Some fields need your attention. Please check the highlighted fields.'
        : (err.detail ?? 'The request was not valid.');
    case 401:
      return 'Your session has ended. Please log in again.';
    case 403:
      return 'Your role does not allow this action.';
    case 404:
      return 'We could not find what you were looking for. It may have been deleted.';
    case 409:
      return err.detail ?? 'This conflicts with the current state. Reload and try again.';
    case 413:
      return 'That is too large to upload.';
    case 415:
      return err.detail ?? 'That kind of file is not supported.';
    case 429:
      return 'Too many attempts, try again later';
    default:
      return err.status >= 500
        ? 'Something went wrong on our side. Please try again in a moment.'
        : (err.detail ?? err.title);
  }
}

/**
 * Turns an API field message into a sentence: fragment messages such as "is required"
 * are prefixed with the field's label ("Name is required"); full sentences stay as they are.
 */
export function fieldMessage(label: string, message: string): string {
  const first = message.charAt(0);
  if (first && first === first.toLowerCase() && first !== first.toUpperCase()) {
    return `${label} ${message}`;
  }
  return message;
}
