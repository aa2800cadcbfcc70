export interface FieldError {
  path: string;
  message: string;
}

/**
 * What kind of failure a domain error is. The kit maps each kind to one HTTP status, so a
 * service says what went wrong in its own terms and never builds an HTTP response.
 */
export type DomainErrorKind =
  | 'invalid' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'unsupported' // 415
  | 'rate_limited'; // 429

export const statusOfKind: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
};

export interface DomainErrorOptions {
  /** Field-level problems, with dotted paths into the request body or query. */
  errors?: FieldError[];
  /** For `rate_limited`: seconds until a retry may succeed (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * A rule of the domain was not met. `code` is stable (`contact.primary_conflict`,
 * `invoice.not_draft`): clients and the web app key their messages on it, so never rename one.
 */
export class DomainError extends Error {
  readonly errors?: FieldError[];
  readonly retryAfterSeconds?: number;

  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return statusOfKind[this.kind];
  }
}

/** Shorthands for the common kinds; `code` always comes first so it is never forgotten. */
export const invalid = (code: string, message: string, errors?: FieldError[]) => new DomainError('invalid', code, message, { errors });
export const invalidField = (code: string, path: string, message: string) => new DomainError('invalid', code, message, { errors: [{ path, message }] });
export const notFoundError = (code: string, message = 'Not found') => new DomainError('not_found', code, message);
export const conflictError = (code: string, message: string, errors?: FieldError[]) => new DomainError('conflict', code, message, { errors });
export const forbiddenError = (code: string, message = 'Your role does not allow this') => new DomainError('forbidden', code, message);
export const unauthenticatedError = (code: string, message = 'Sign in to continue') => new DomainError('unauthenticated', code, message);
export const rateLimitedError = (code: string, retryAfterSeconds: number, message = 'Too many requests, try again later') =>
  new DomainError('rate_limited', code, message, { retryAfterSeconds });
