import { Router, type Request, type Response } from 'express';
import { ibanValid, normalizeIban } from '../cards.js';
import { getSession } from '../checkout.js';
import type { Emulator } from '../emulator.js';
import { StripeApiError } from '../errors.js';
import { completeFree, payWithCard, type Payer } from '../payments.js';
import { NO_REQUEST } from '../types.js';
import { checkoutPage, successUrl, type CheckoutForm } from './checkout-page.js';

type Fields = Record<string, string | undefined>;

/** Expiry as MM / YY (or MM/YYYY), in the future; empty is allowed (tests may send only a number). */
function expiryProblem(value: string | undefined, now: Date): string | undefined {
  if (!value?.trim()) return undefined;
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
  if (!m) return 'Your card\'s expiration date is incomplete.';
  const month = Number(m[1]);
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  if (month < 1 || month > 12) return 'Your card\'s expiration month is invalid.';
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) return 'Your card\'s expiration date is in the past.';
  return undefined;
}

/** The hosted checkout page (`session.url`) and its form posts. */
export function checkoutRouter(emulator: Emulator): Router {
  const router = Router();
  const { state } = emulator;

  const render = (res: Response, id: string, status: number, form: CheckoutForm = {}) => {
    const session = getSession(state, id);
    res.status(status).type('html').send(checkoutPage(session, state.sessionExtras.get(id)!.lineItems, form));
  };

  const withSession = (handler: (req: Request, res: Response, id: string) => void) => (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!state.sessions.get(id)) {
      res.status(404).type('html').send('<!doctype html><html lang="en"><title>Not found</title><main><h1>No such checkout session</h1></main></html>');
      return;
    }
    handler(req, res, id);
  };

  router.get('/:id', withSession((_req, res, id) => render(res, id, 200)));

  router.get('/:id/cancel', withSession((_req, res, id) => {
    const session = getSession(state, id);
    if (session.status !== 'open' || !session.cancel_url) return render(res, id, 409);
    res.redirect(303, session.cancel_url);
  }));

  router.post('/:id/pay', withSession((req, res, id) => {
    const f = (req.body ?? {}) as Fields;
    const payer: Payer = { email: f.email?.trim() || null, name: f.name?.trim() || null };
    const form: CheckoutForm = { ...(f.email ? { email: f.email } : {}), ...(f.name ? { name: f.name } : {}) };
    const session = getSession(state, id);
    if (session.status !== 'open') return render(res, id, 409);
    try {
      if (f.method === 'sepa_debit') {
        const iban = normalizeIban(f.iban ?? '');
        if (!ibanValid(iban)) return render(res, id, 400, { ...form, error: { field: 'iban', message: 'Your IBAN is invalid.' } });
        emulator.startBankDebit(id, iban, payer);
      } else if (f.method === 'none') {
        completeFree(state, id, payer, NO_REQUEST);
      } else {
        const expiry = expiryProblem(f.expiry, new Date(state.now() * 1000));
        if (expiry) return render(res, id, 400, { ...form, error: { field: 'expiry', message: expiry } });
        if (f.cvc?.trim() && !/^\d{3,4}$/.test(f.cvc.trim())) return render(res, id, 400, { ...form, error: { field: 'cvc', message: 'Your card\'s security code is invalid.' } });
        const result = payWithCard(state, id, f.card_number ?? '', payer, NO_REQUEST);
        if (!result.ok) return render(res, id, result.error.status, { ...form, error: { field: 'card_number', message: result.error.message } });
      }
    } catch (err) {
      if (err instanceof StripeApiError) return render(res, id, err.status, { ...form, error: { field: 'form', message: err.message } });
      throw err;
    }
    res.redirect(303, successUrl(getSession(state, id)));
  }));
  return router;
}
