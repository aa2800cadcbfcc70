import { z } from 'zod';
import type { Problem } from '@atelier/contracts';
import { isDataException } from '../db/sqlstate.js';
import { DomainError, type FieldError } from '../errors/domain-error.js';

export type { FieldError } from '../errors/domain-error.js';

/**
 * An error at the HTTP edge itself (body parsing, routing, authentication at the gateway).
 * Domain rules throw `DomainError` instead; `toProblem` maps both, once.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly code?: string,
  ) {
    super(detail ?? title);
    this.name = 'HttpError';
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new HttpError(400, 'Bad Request', detail, errors);
export const unauthorized = (detail = 'Sign in to continue') => new HttpError(401, 'Unauthorized', detail);
export const forbidden = (detail = 'Your role does not allow this') => new HttpError(403, 'Forbidden', detail);
export const notFound = (detail = 'Not found') => new HttpError(404, 'Not Found', detail);
export const conflict = (detail: string, errors?: FieldError[]) => new HttpError(409, 'Conflict', detail, errors);
export const tooManyRequests = (detail = 'Too many requests, try again later') => new HttpError(429, 'Too Many Requests', detail);

const statusTitle: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

const statusSlug: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  500: 'internal',
  502: 'bad-gateway',
  503: 'unavailable',
  504: 'gateway-timeout',
};

export const zodFieldErrors = (error: z.ZodError): FieldError[] =>
  error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Maps any thrown value to a problem document; only unexpected errors become 500. */
export function toProblem(err: unknown): Problem {
  let e: HttpError;
  if (err instanceof DomainError) e = new HttpError(err.status, statusTitle[err.status] ?? 'Error', err.message, err.errors, err.code);
  else if (err instanceof HttpError) e = err;
  else if (err instanceof z.ZodError) e = badRequest('The request is invalid', zodFieldErrors(err));
  else {
    const bp = err as BodyParserError;
    switch (bp?.type) {
      case 'entity.too.large':
        e = new HttpError(413, 'Payload Too Large', 'The request body is too large');
        break;
      case 'entity.parse.failed':
        e = badRequest('The body is not valid JSON', [{ path: '(body)', message: 'is not valid JSON' }]);
        break;
      case 'encoding.unsupported':
      case 'charset.unsupported':
        e = new HttpError(415, 'Unsupported Media Type', 'Unsupported body encoding');
        break;
      default:
        // SQLSTATE class 22 (data exception): a value the database cannot store slipped past validation.
        if (isDataException(err)) {
          e = badRequest('The request contains a value that cannot be stored');
        } else if (bp?.expose && typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) {
          e = new HttpError(bp.status, 'Bad Request', (err as Error).message);
        } else {
          e = new HttpError(500, 'Internal Server Error', 'Something went wrong on our side');
        }
    }
  }
  return {
    type: `https://atelier.dev/problems/${statusSlug[e.status] ?? String(e.status)}`,
    title: e.title,
    status: e.status,
    ...(e.detail ? { detail: e.detail } : {}),
    ...(e.code ? { code: e.code } : {}),
    ...(e.errors ? { errors: e.errors } : {}),
  };
}
