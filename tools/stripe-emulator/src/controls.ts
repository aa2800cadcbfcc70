import { Router, type Request, type Response } from 'express';
import { getSession } from './checkout.js';
import type { Emulator } from './emulator.js';
import { invalidRequest, noSuch, StripeApiError } from './errors.js';
import { payWithCard, settleBankDebit } from './payments.js';
import { failRefund } from './refunds.js';
import { NO_REQUEST } from './types.js';
import type { ReleaseOrder } from './webhooks.js';
import { sendError, sendJson } from './api/http.js';

type Body = Record<string, unknown>;

const int = (value: unknown, name: string, min = 0): number => {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw invalidRequest(`${name} must be an integer ≥ ${min}`, name);
  return n;
};

/**
 * Test controls under `/_emulator` (JSON in and out, no API key): webhook endpoints, the
 * chaos of delivery (duplicates, holding and reordering, delays), what was delivered, async
 * outcomes, failures to inject, the clock, and a reset.
 */
export function controlsRouter(emulator: Emulator): Router {
  const router = Router();
  const { state, webhooks } = emulator;
  const body = (req: Request): Body => (req.body && typeof req.body === 'object' ? (req.body as Body) : {});
  const ok = (res: Response, value: unknown) => sendJson(res, 200, value);

  router.get('/health', (_req, res) => ok(res, { ok: true }));

  router.post('/reset', (_req, res) => {
    emulator.reset();
    ok(res, { reset: true });
  });

  router.get('/webhooks/endpoints', (_req, res) => ok(res, { data: webhooks.endpoints }));
  router.post('/webhooks/endpoints', (req, res) => {
    const b = body(req);
    if (typeof b.url !== 'string' || !URL.canParse(b.url)) throw invalidRequest('url must be an absolute URL', 'url');
    if (b.secret !== undefined && (typeof b.secret !== 'string' || !b.secret.startsWith('whsec_'))) throw invalidRequest('secret must start with whsec_', 'secret');
    const events = Array.isArray(b.enabled_events) ? b.enabled_events.map(String) : undefined;
    ok(res, webhooks.addEndpoint(b.url, b.secret as string | undefined, events));
  });
  router.post('/webhooks/endpoints/:id/roll', (req, res) => {
    const endpoint = webhooks.rollSecret(String(req.params.id), body(req).keep_previous === true);
    if (!endpoint) throw noSuch('webhook_endpoint', String(req.params.id));
    ok(res, endpoint);
  });
  router.delete('/webhooks/endpoints/:id', (req, res) => {
    if (!webhooks.removeEndpoint(String(req.params.id))) throw noSuch('webhook_endpoint', String(req.params.id));
    ok(res, { id: req.params.id, deleted: true });
  });

  router.get('/webhooks/config', (_req, res) => ok(res, { ...webhooks.chaos, retry_delays_ms: webhooks.retryDelaysMs }));
  router.post('/webhooks/config', (req, res) => {
    const b = body(req);
    if (b.duplicates !== undefined) webhooks.chaos.duplicates = int(b.duplicates, 'duplicates');
    if (b.delay_ms !== undefined) webhooks.chaos.delayMs = int(b.delay_ms, 'delay_ms');
    if (b.hold !== undefined) webhooks.chaos.hold = b.hold === true || b.hold === 'true';
    if (b.retry_delays_ms !== undefined) {
      if (!Array.isArray(b.retry_delays_ms)) throw invalidRequest('retry_delays_ms must be an array of integers', 'retry_delays_ms');
      webhooks.retryDelaysMs = b.retry_delays_ms.map((d) => int(d, 'retry_delays_ms'));
    }
    ok(res, { ...webhooks.chaos, retry_delays_ms: webhooks.retryDelaysMs });
  });
  router.post('/webhooks/hold', (_req, res) => {
    webhooks.chaos.hold = true;
    ok(res, { hold: true });
  });
  router.post('/webhooks/release', (req, res) => {
    const order = (body(req).order ?? 'fifo') as ReleaseOrder;
    if (!['fifo', 'reverse', 'shuffle'].includes(order)) throw invalidRequest('order must be fifo, reverse or shuffle', 'order');
    ok(res, { released: webhooks.release(order), order });
  });

  router.get('/deliveries', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const data = webhooks.deliveries.filter((d) => (!q.event_id || d.event_id === q.event_id) && (!q.type || d.event_type === q.type) && (!q.state || d.state === q.state));
    ok(res, { data });
  });
  router.post('/events/:id/redeliver', (req, res) => {
    const event = state.events.get(String(req.params.id));
    if (!event) throw noSuch('event', String(req.params.id));
    ok(res, { data: webhooks.redeliver(event) });
  });

  // Pays a session without the page (for services' tests): `{ card }` or `{ iban }`.
  router.post('/checkout/sessions/:id/pay', (req, res) => {
    const b = body(req);
    const id = String(req.params.id);
    const payer = { email: typeof b.email === 'string' ? b.email : null, name: typeof b.name === 'string' ? b.name : null };
    if (typeof b.iban === 'string') return ok(res, emulator.startBankDebit(id, b.iban.replace(/\s/g, '').toUpperCase(), payer));
    const result = payWithCard(state, id, typeof b.card === 'string' ? b.card : '4242424242424242', payer, NO_REQUEST);
    if (!result.ok) throw result.error;
    ok(res, result.session);
  });
  router.post('/checkout/sessions/:id/async', (req, res) => {
    const outcome = body(req).outcome;
    if (outcome !== 'succeeded' && outcome !== 'failed') throw invalidRequest('outcome must be succeeded or failed', 'outcome');
    ok(res, settleBankDebit(state, getSession(state, String(req.params.id)).id, outcome, NO_REQUEST));
  });
  router.post('/refunds/:id/fail', (req, res) => ok(res, failRefund(state, String(req.params.id), NO_REQUEST)));

  // The next `count` API requests (optionally under `path`, e.g. /checkout/sessions) fail with `status`.
  router.post('/faults', (req, res) => {
    const b = body(req);
    const status = int(b.status, 'status', 400);
    const fault = { status, remaining: int(b.count ?? 1, 'count', 1), ...(typeof b.path === 'string' ? { path: b.path } : {}) };
    emulator.faults.push(fault);
    ok(res, fault);
  });

  router.get('/clock', (_req, res) => ok(res, { now: state.now(), offset_seconds: state.clockOffset }));
  router.post('/clock', (req, res) => {
    const b = body(req);
    const advance = typeof b.advance_seconds === 'string' ? Number(b.advance_seconds) : b.advance_seconds;
    if (typeof advance !== 'number' || !Number.isInteger(advance)) throw invalidRequest('advance_seconds must be an integer', 'advance_seconds');
    state.clockOffset += advance;
    ok(res, { now: state.now(), offset_seconds: state.clockOffset });
  });

  router.use((err: unknown, _req: Request, res: Response, next: (err?: unknown) => void) => {
    if (err instanceof StripeApiError) return sendError(res, err);
    next(err);
  });
  return router;
}
