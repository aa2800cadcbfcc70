import { formatAmount } from '../currency.js';
import type { CheckoutSession, LineItem } from '../types.js';
import { html, page, type Html } from './html.js';

export interface CheckoutForm {
  email?: string;
  name?: string;
  /** The field an error belongs to, and what to say. */
  error?: { field: 'card_number' | 'iban' | 'expiry' | 'cvc' | 'form'; message: string };
}

const fieldError = (form: CheckoutForm, field: string) =>
  form.error?.field === field ? html`<p id="${field}-error" class="error">${form.error.message}</p>` : html``;

/** Marks a field invalid; `describe` also points it at its error (fields with a hint do that themselves). */
const invalid = (form: CheckoutForm, field: string, describe = true) =>
  form.error?.field !== field ? html`` : describe ? html` aria-invalid="true" aria-describedby="${field}-error"` : html` aria-invalid="true"`;

/**
 * The hosted checkout page: a plain server-rendered form (labels, native controls, errors
 * announced and tied to their field), so it works with a keyboard, a screen reader and an
 * HTTP client alike.
 */
export function checkoutPage(session: CheckoutSession, items: LineItem[], form: CheckoutForm = {}): string {
  const total = formatAmount(session.amount_total, session.currency);
  const title = `Pay ${total}`;
  if (session.status !== 'open') return page('Checkout unavailable', closed(session));
  const email = form.email ?? session.customer_email ?? '';
  const action = `/checkout/${session.id}/pay`;
  const rows = items.map((li) => html`<tr><td>${li.description}${li.quantity > 1 ? ` × ${li.quantity}` : ''}</td><td>${formatAmount(li.amount_total, li.currency)}</td></tr>`);
  const cancel = session.cancel_url ? html`<p><a class="button secondary" href="/checkout/${session.id}/cancel">Cancel and return</a></p>` : html``;
  const topError = form.error ? html`<p class="error" role="alert">${form.error.message}</p>` : html``;
  let methods: Html;
  if (session.amount_total === 0) {
    methods = html`<form method="post" action="${action}"><input type="hidden" name="method" value="none">
      <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" value="${email}">
      <button type="submit">Confirm</button></form>`;
  } else {
    methods = html`${session.payment_method_types.includes('card') ? cardForm(action, email, form, total) : html``}
      ${session.payment_method_types.includes('sepa_debit') ? debitForm(action, email, form, total) : html``}`;
  }
  return page(title, html`
    <div class="card narrow">
      <h1>${title}</h1>
      <p class="hint">Stripe emulator test checkout · session <code>${session.id}</code></p>
      <table aria-label="Order summary"><tbody>${rows}</tbody>
        <tfoot><tr><th scope="row">Total</th><th>${total}</th></tr></tfoot></table>
      <div aria-live="assertive">${topError}</div>
      ${methods}
      ${cancel}
    </div>`);
}

function cardForm(action: string, email: string, form: CheckoutForm, total: string): Html {
  return html`<form method="post" action="${action}" aria-labelledby="card-heading">
    <h2 id="card-heading">Pay by card</h2>
    <input type="hidden" name="method" value="card">
    <label for="card-email">Email</label>
    <input id="card-email" name="email" type="email" autocomplete="email" value="${email}">
    <label for="card_number">Card number</label>
    <input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required${invalid(form, 'card_number', false)}
      aria-describedby="card-hint${form.error?.field === 'card_number' ? ' card_number-error' : ''}">
    <p id="card-hint" class="hint">Test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has insufficient funds.</p>
    ${fieldError(form, 'card_number')}
    <label for="expiry">Expiry (MM / YY)</label>
    <input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="12 / 34"${invalid(form, 'expiry')}>
    ${fieldError(form, 'expiry')}
    <label for="cvc">CVC</label>
    <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc"${invalid(form, 'cvc')}>
    ${fieldError(form, 'cvc')}
    <label for="card-name">Name on card</label>
    <input id="card-name" name="name" autocomplete="cc-name" value="${form.name ?? ''}">
    <button type="submit">Pay ${total}</button>
  </form>`;
}

function debitForm(action: string, email: string, form: CheckoutForm, total: string): Html {
  return html`<form method="post" action="${action}" aria-labelledby="debit-heading">
    <h2 id="debit-heading">Pay by bank debit (SEPA)</h2>
    <p class="hint">The payment is confirmed later: the session completes unpaid and the bank's answer arrives as an event.</p>
    <input type="hidden" name="method" value="sepa_debit">
    <label for="debit-email">Email</label>
    <input id="debit-email" name="email" type="email" autocomplete="email" value="${email}">
    <label for="debit-name">Account holder</label>
    <input id="debit-name" name="name" autocomplete="name" value="${form.name ?? ''}">
    <label for="iban">IBAN</label>
    <input id="iban" name="iban" autocomplete="off" required${invalid(form, 'iban', false)} aria-describedby="iban-hint${form.error?.field === 'iban' ? ' iban-error' : ''}">
    <p id="iban-hint" class="hint">Test IBANs: DE89 3704 0044 0532 0130 00 succeeds later, DE62 3704 0044 0532 0130 01 fails later.</p>
    ${fieldError(form, 'iban')}
    <button type="submit">Pay ${total} by debit</button>
  </form>`;
}

function closed(session: CheckoutSession): Html {
  const message = session.status === 'complete' ? 'This checkout is complete.' : 'This checkout session has expired.';
  return html`<div class="card narrow"><h1>${message}</h1>
    ${session.status === 'complete' ? html`<p><a class="button" href="${successUrl(session)}">Return to the merchant</a></p>` : html``}</div>`;
}

/** Stripe fills `{CHECKOUT_SESSION_ID}` in the success URL when it redirects. */
export const successUrl = (session: CheckoutSession) => session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id);
