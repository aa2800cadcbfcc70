import type { Request, Response } from 'express';
import type { StripeApiError } from '../errors.js';

export const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Stripe's JSON (pretty-printed, as Stripe sends it). */
export function sendJson(res: Response, status: number, value: unknown): void {
  res.status(status).type('application/json; charset=utf-8').send(json(value));
}

/** 4xx errors would fail again if retried, so the SDK is told not to; 5xx and 409 may succeed later. */
export function sendError(res: Response, err: StripeApiError): void {
  res.set('Stripe-Should-Retry', err.status >= 500 || err.status === 409 || err.status === 429 ? 'true' : 'false');
  sendJson(res, err.status, err.body(String(res.locals.requestId)));
}

/** A request's parameters: the query string on GET and DELETE, the form body on POST. */
export function rawParams(req: Request): unknown {
  return req.method === 'GET' || req.method === 'DELETE' ? req.query : (req.body ?? {});
}
