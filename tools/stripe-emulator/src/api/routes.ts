import { Router, type Request, type Response } from 'express';
import { createSession, CREATE_SESSION_SPEC, expireDue, expireSession, getSession } from '../checkout.js';
import type { Emulator } from '../emulator.js';
import { invalidRequest, noSuch, StripeApiError } from '../errors.js';
import { fingerprint } from '../idempotency.js';
import { createIntent, CREATE_INTENT_SPEC } from '../intents.js';
import { paginate, type ListQuery } from '../list.js';
import { inRange, LIST_SPEC, parseParams, type Params, type Range, type Spec } from '../params.js';
import { createRefund, CREATE_REFUND_SPEC } from '../refunds.js';
import type { RequestContext } from '../types.js';
import { authenticate } from './auth.js';
import { json, rawParams, sendError, sendJson } from './http.js';

type Handler = (params: Params, ctx: RequestContext, req: Request) => object;

const THIRTY_DAYS = 30 * 24 * 3600;

/** Stripe's `/v1` API for Checkout Sessions, PaymentIntents, Charges, Refunds and Events. */
export function apiRouter(emulator: Emulator): Router {
  const router = Router();
  const { state } = emulator;

  router.use((req, res, next) => {
    try {
      res.locals.apiKey = authenticate(req, emulator.config.apiKey);
      const fault = emulator.takeFault(req.path);
      if (fault) {
        const type = fault.status === 429 ? 'invalid_request_error' : 'api_error';
        const message = fault.status === 429 ? 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.' : 'An unknown error occurred (injected by the emulator).';
        throw new StripeApiError(fault.status, type, message, fault.status === 429 ? { code: 'rate_limit' } : {});
      }
      next();
    } catch (err) {
      next(err);
    }
  });

  /** Runs a handler under Stripe's idempotency rules and expands the result. */
  const run = (spec: Record<string, Spec>, handler: Handler, status = 200) => (req: Request, res: Response) => {
    const raw = rawParams(req);
    const key = req.method === 'POST' ? req.header('idempotency-key') : undefined;
    const ctx: RequestContext = { requestId: String(res.locals.requestId), idempotencyKey: key ?? null };
    if (key !== undefined && key.length > 255) throw invalidRequest('Idempotency-Key must be at most 255 characters long.', 'idempotency_key');
    const scope = String(res.locals.apiKey);
    if (key) {
      const saved = emulator.idempotency.begin(scope, key, fingerprint(req.method, req.path, raw));
      if (saved) {
        res.set({ 'Idempotent-Replayed': 'true', 'Original-Request': saved.requestId, 'Idempotency-Key': key, 'Stripe-Should-Retry': 'false' });
        res.status(saved.status).type('application/json; charset=utf-8').send(saved.body);
        return;
      }
      res.set('Idempotency-Key', key);
    }
    try {
      const params = parseParams(spec, raw);
      const body = emulator.expandWith(handler(params, ctx, req), params.expand as string[] | undefined);
      if (key) emulator.idempotency.finish(scope, key, { status, body: json(body), requestId: ctx.requestId! });
      sendJson(res, status, body);
    } catch (err) {
      // A request that ran and failed (a decline, a 500) is replayed; one refused up front is not saved.
      const ran = err instanceof StripeApiError && (err.status === 402 || err.status >= 500);
      if (key && err instanceof StripeApiError && ran) {
        emulator.idempotency.finish(scope, key, { status: err.status, body: json(err.body(ctx.requestId!)), requestId: ctx.requestId! });
      } else if (key) {
        emulator.idempotency.finish(scope, key, undefined);
      }
      throw err;
    }
  };

  const list = <T extends { id: string; created: number }>(url: string | ((req: Request) => string), kind: string, items: (p: Params, req: Request) => T[]): Handler =>
    (p, _ctx, req) => {
      const created = p.created as Range | undefined;
      const data = items(p, req).filter((item) => inRange(item.created, created));
      return paginate(data, p as ListQuery, typeof url === 'string' ? url : url(req), kind);
    };

  const get = <T>(kind: string, find: (id: string) => T | undefined): Handler => (_p, _ctx, req) => {
    const id = String(req.params.id);
    const found = find(id);
    if (!found) throw noSuch(kind, id);
    return found as object;
  };

  router.post('/checkout/sessions', run(CREATE_SESSION_SPEC, (p) => createSession(state, p, { publicUrl: emulator.config.publicUrl })));
  router.get('/checkout/sessions', run({ ...LIST_SPEC, status: 'string', payment_intent: 'string', customer_details: { email: 'string' } }, list('/v1/checkout/sessions', 'checkout.session', (p) => {
    expireDue(state);
    const email = (p.customer_details as { email?: string } | undefined)?.email;
    return state.sessions.newestFirst((s) => (!p.status || s.status === p.status) && (!p.payment_intent || s.payment_intent === p.payment_intent) &&
      (!email || s.customer_details?.email === email));
  })));
  router.get('/checkout/sessions/:id', run({}, (_p, _c, req) => getSession(state, String(req.params.id))));
  router.get('/checkout/sessions/:id/line_items', run(LIST_SPEC, list((req) => `/v1/checkout/sessions/${req.params.id}/line_items`, 'item', (_p, req) => {
    getSession(state, String(req.params.id));
    return state.sessionExtras.get(String(req.params.id))!.lineItems.map((li) => ({ ...li, created: 0 }));
  })));
  router.post('/checkout/sessions/:id/expire', run({}, (_p, ctx, req) => expireSession(state, String(req.params.id), ctx)));

  router.post('/payment_intents', run(CREATE_INTENT_SPEC, (p, ctx) => createIntent(state, p, ctx)));
  router.get('/payment_intents', run(LIST_SPEC, list('/v1/payment_intents', 'payment_intent', () => state.paymentIntents.newestFirst())));
  router.get('/payment_intents/:id', run({}, get('payment_intent', (id) => state.paymentIntents.get(id))));

  router.get('/charges', run({ ...LIST_SPEC, payment_intent: 'string' }, list('/v1/charges', 'charge', (p) => state.charges.newestFirst((c) => !p.payment_intent || c.payment_intent === p.payment_intent))));
  router.get('/charges/:id', run({}, get('charge', (id) => state.charges.get(id))));

  router.post('/refunds', run(CREATE_REFUND_SPEC, (p, ctx) => createRefund(state, p, ctx)));
  router.get('/refunds', run({ ...LIST_SPEC, charge: 'string', payment_intent: 'string' }, list('/v1/refunds', 'refund', (p) =>
    state.refunds.newestFirst((r) => (!p.charge || r.charge === p.charge) && (!p.payment_intent || r.payment_intent === p.payment_intent)))));
  router.get('/refunds/:id', run({}, get('refund', (id) => state.refunds.get(id))));

  // Stripe keeps events for 30 days; `type` takes one `*` wildcard (`checkout.session.*`).
  router.get('/events', run({ ...LIST_SPEC, type: 'string', types: ['string'], delivery_success: 'boolean' }, list('/v1/events', 'event', (p) => {
    const since = state.now() - THIRTY_DAYS;
    const types = [...((p.types as string[] | undefined) ?? []), ...(p.type ? [p.type as string] : [])];
    const matches = (type: string) => types.length === 0 || types.some((t) => (t.endsWith('*') ? type.startsWith(t.slice(0, -1)) : t === type));
    // delivery_success: whether every endpoint has answered 2xx.
    const delivered = p.delivery_success as boolean | undefined;
    return state.events.newestFirst((e) => e.created >= since && matches(e.type) && (delivered === undefined || (e.pending_webhooks === 0) === delivered));
  })));
  router.get('/events/:id', run({}, get('event', (id) => {
    const event = state.events.get(id);
    return event && event.created >= state.now() - THIRTY_DAYS ? event : undefined;
  })));

  router.use((req, _res, next) => next(new StripeApiError(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: /v1${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`)));
  router.use((err: unknown, _req: Request, res: Response, next: (err?: unknown) => void) => {
    if (err instanceof StripeApiError) return sendError(res, err);
    next(err);
  });
  return router;
}
