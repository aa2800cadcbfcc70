import { checkAmount, checkMinimum, parseCurrency } from './currency.js';
import { invalidRequest, missingParam, noSuch } from './errors.js';
import { newId } from './ids.js';
import { required, type Params, type Spec } from './params.js';
import { update, type EmulatorState } from './state.js';
import type { CheckoutSession, LineItem, Metadata, RequestContext } from './types.js';

export const CREATE_SESSION_SPEC = {
  mode: 'string',
  line_items: [{ price_data: { currency: 'string', unit_amount: 'integer', product_data: { name: 'string', description: 'string', metadata: 'metadata' } }, quantity: 'integer', price: 'string' }],
  metadata: 'metadata',
  success_url: 'string',
  cancel_url: 'string',
  customer_email: 'string',
  client_reference_id: 'string',
  expires_at: 'integer',
  locale: 'string',
  submit_type: 'string',
  payment_method_types: ['string'],
  payment_intent_data: { metadata: 'metadata', description: 'string', receipt_email: 'string' },
} as const satisfies Record<string, Spec>;

interface LineItemParams {
  price_data?: { currency?: string; unit_amount?: number; product_data?: { name?: string; description?: string } };
  quantity?: number;
  price?: string;
}

const isUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

function parseLineItems(items: LineItemParams[]): { currency: string; lineItems: LineItem[] } {
  if (items.length === 0) throw missingParam('line_items');
  let currency: string | undefined;
  const lineItems = items.map((item, i): LineItem => {
    const at = `line_items[${i}]`;
    if (item.price) throw noSuch('price', item.price, `${at}[price]`);
    const data = required(item.price_data, `${at}[price_data]`);
    const itemCurrency = parseCurrency(required(data.currency, `${at}[price_data][currency]`), `${at}[price_data][currency]`);
    if (currency && itemCurrency !== currency) throw invalidRequest('Checkout does not support multiple currencies.', `${at}[price_data][currency]`);
    currency = itemCurrency;
    const unitAmount = required(data.unit_amount, `${at}[price_data][unit_amount]`);
    checkAmount(unitAmount, itemCurrency, `${at}[price_data][unit_amount]`);
    const name = required(data.product_data?.name, `${at}[price_data][product_data][name]`);
    const quantity = required(item.quantity, `${at}[quantity]`);
    if (quantity < 1) throw invalidRequest('This value must be greater than or equal to 1.', `${at}[quantity]`);
    const amount = unitAmount * quantity;
    return {
      id: newId.lineItem(),
      object: 'item',
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: itemCurrency,
      description: name,
      quantity,
      price: { id: newId.price(), object: 'price', active: false, currency: itemCurrency, product: newId.product(), type: 'one_time', unit_amount: unitAmount },
    };
  });
  return { currency: currency!, lineItems };
}

export interface CheckoutOptions {
  /** Where the hosted checkout page is reached (the emulator's own origin by default). */
  publicUrl: string;
}

/** `POST /v1/checkout/sessions` (payment mode with `price_data`, the subset the platform uses). */
export function createSession(state: EmulatorState, p: Params, opts: CheckoutOptions): CheckoutSession {
  const mode = required(p.mode as string | undefined, 'mode');
  if (mode !== 'payment') throw invalidRequest(`The emulator supports mode "payment" only (got "${mode}").`, 'mode');
  const { currency, lineItems } = parseLineItems(required(p.line_items as LineItemParams[] | undefined, 'line_items'));
  const total = lineItems.reduce((sum, li) => sum + li.amount_total, 0);
  if (!Number.isSafeInteger(total) || total > 99_999_999) throw invalidRequest('The total amount is too large.', 'line_items', 'amount_too_large');
  checkMinimum(total, currency);
  const successUrl = required(p.success_url as string | undefined, 'success_url');
  if (!isUrl(successUrl)) throw invalidRequest('Not a valid URL', 'success_url', 'url_invalid');
  const cancelUrl = (p.cancel_url as string | undefined) ?? null;
  if (cancelUrl !== null && !isUrl(cancelUrl)) throw invalidRequest('Not a valid URL', 'cancel_url', 'url_invalid');
  const email = (p.customer_email as string | undefined) ?? null;
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalidRequest(`Invalid email address: ${email}`, 'customer_email', 'email_invalid');
  const now = state.now();
  const expiresAt = (p.expires_at as number | undefined) ?? now + 24 * 3600;
  if (expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600) {
    throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
  }
  const methods = (p.payment_method_types as string[] | undefined) ?? ['card', 'sepa_debit'];
  for (const [i, m] of methods.entries()) {
    if (m !== 'card' && m !== 'sepa_debit') throw invalidRequest(`The payment method type "${m}" is invalid.`, `payment_method_types[${i}]`);
  }
  if (methods.includes('sepa_debit') && currency !== 'eur' && p.payment_method_types) {
    throw invalidRequest('The currency provided (' + currency + ') is invalid for one or more payment method types: sepa_debit.', 'payment_method_types');
  }
  const id = newId.checkoutSession();
  const session: CheckoutSession = {
    id,
    object: 'checkout.session',
    amount_subtotal: total,
    amount_total: total,
    cancel_url: cancelUrl,
    client_reference_id: (p.client_reference_id as string | undefined) ?? null,
    created: now,
    currency,
    customer: null,
    customer_details: null,
    customer_email: email,
    expires_at: expiresAt,
    livemode: false,
    locale: (p.locale as string | undefined) ?? null,
    metadata: (p.metadata as Metadata | undefined) ?? {},
    mode: 'payment',
    payment_intent: null,
    // A bank debit is offered only where Stripe offers SEPA Direct Debit: in euros.
    payment_method_types: currency === 'eur' ? methods : methods.filter((m) => m === 'card'),
    payment_status: total === 0 ? 'no_payment_required' : 'unpaid',
    status: 'open',
    success_url: successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: `${opts.publicUrl}/checkout/${id}`,
  };
  const pid = (p.payment_intent_data ?? {}) as { metadata?: Metadata; description?: string };
  state.sessions.add(session);
  state.sessionExtras.set(id, { lineItems, paymentIntentData: { metadata: pid.metadata ?? {}, description: pid.description ?? null } });
  return session;
}

export function getSession(state: EmulatorState, id: string): CheckoutSession {
  expireDue(state);
  const session = state.sessions.get(id);
  if (!session) throw noSuch('checkout.session', id);
  return session;
}

export function expireSession(state: EmulatorState, id: string, ctx: RequestContext): CheckoutSession {
  const session = getSession(state, id);
  if (session.status !== 'open') {
    throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`, undefined, 'checkout_session_not_open');
  }
  markExpired(state, session, ctx);
  return session;
}

function markExpired(state: EmulatorState, session: CheckoutSession, ctx: RequestContext): void {
  update(session, { status: 'expired', url: null });
  state.emit('checkout.session.expired', session, ctx);
}

/** Sessions past `expires_at` expire (checked on every access and by a timer, as Stripe does within minutes). */
export function expireDue(state: EmulatorState): void {
  const now = state.now();
  for (const session of state.sessions.newestFirst((s) => s.status === 'open' && s.expires_at <= now)) {
    markExpired(state, session, { requestId: null, idempotencyKey: null });
  }
}
