import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import type { CheckoutBody, CheckoutSessionResponse } from '@atelier/contracts';
import { Money, MoneyError, toStripeAmount } from '@atelier/money';
import { DomainError, tenantTx, type Principal } from '@atelier/platform';
import type { PaymentsDeps } from '../deps.js';
import { findInvoiceByTokenDigest, selectInvoice } from '../invoice-replica/invoice-repository.js';
import { invoicePaymentSums } from '../payments/payment-repository.js';
import { insertSession, selectReusableSession } from './checkout-repository.js';

/** A session made less than this long ago is handed out again (Stripe's expire after 24 h). */
const REUSE_HOURS = 23;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Return {
  /** Sessions for the same invoice, amount and `kind` are one (the idempotency key). */
  kind: 'staff' | 'public';
  successUrl: string;
  cancelUrl: string;
}

/** `POST /api/payments/checkout`: staff send the payer to Checkout; back to the invoice in the app. */
export function staffCheckout(deps: PaymentsDeps, who: Principal, body: CheckoutBody): Promise<CheckoutSessionResponse> {
  const page = `${deps.config.PUBLIC_ORIGIN}/invoices/${body.invoiceId}`;
  return checkout(deps, who.agencyId, body.invoiceId, { kind: 'staff', successUrl: `${page}?checkout=success`, cancelUrl: `${page}?checkout=cancelled` });
}

/** The public page's Pay button: the invoice by its token's digest, back to `/i/:publicToken`. */
export async function publicCheckout(deps: PaymentsDeps, publicToken: string): Promise<CheckoutSessionResponse> {
  const found = publicToken.length > 0 && publicToken.length <= 200 ? await tenantTx(deps.db, null, (tx) => findInvoiceByTokenDigest(tx, sha256(publicToken))) : undefined;
  if (!found) throw new DomainError('not_found', 'payment.invoice_not_found', 'No invoice has this link');
  const page = `${deps.config.PUBLIC_ORIGIN}/i/${encodeURIComponent(publicToken)}`;
  return checkout(deps, found.agencyId, found.invoiceId, {
    kind: 'public',
    successUrl: `${page}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${page}?checkout=cancelled`,
  });
}

/**
 * A Checkout Session for what the invoice still owes, in its currency. The amount is the
 * smaller of billing's amount due and the total less what this service already holds as paid or
 * in flight (billing may not have heard of a payment yet): an invoice is never charged twice.
 */
async function checkout(deps: PaymentsDeps, agencyId: string, invoiceId: string, ret: Return): Promise<CheckoutSessionResponse> {
  const { invoice, due, reusable, key } = await tenantTx(deps.db, agencyId, async (tx) => {
    const invoice = await selectInvoice(tx, invoiceId);
    if (!invoice || invoice.status === 'draft') throw new DomainError('not_found', 'payment.invoice_not_found', 'No issued invoice with this id');
    if (invoice.status === 'void') throw new DomainError('conflict', 'payment.invoice_void', 'The invoice is void and can no longer be paid');
    let due = Money.round(invoice.amountDue ?? '0', invoice.currency);
    if (invoice.total !== null) {
      const sums = await invoicePaymentSums(tx, invoiceId);
      const local = Money.round(invoice.total, invoice.currency).minus(Money.round(sums.kept, invoice.currency)).minus(Money.round(sums.pending, invoice.currency));
      if (local.compare(due) < 0) due = local;
    }
    if (!due.isPositive()) throw new DomainError('conflict', 'payment.nothing_due', 'The invoice has nothing left to pay');
    const key = `checkout-${sha256(`${invoiceId}|${due.amount}|${invoice.currency}|${ret.kind}`).slice(0, 40)}`;
    const reusable = await selectReusableSession(tx, key, REUSE_HOURS);
    return { invoice, due, reusable, key };
  });
  if (reusable?.url) return { url: reusable.url };

  let unitAmount: number;
  try {
    unitAmount = toStripeAmount(due);
  } catch (err) {
    if (err instanceof MoneyError) throw new DomainError('conflict', 'payment.unchargeable_amount', `${due.amount} ${due.currency} cannot be charged through Stripe`, { cause: err });
    throw err;
  }
  const metadata = { invoice_id: invoice.id, agency_id: agencyId, client_id: invoice.clientId };
  let session: Stripe.Checkout.Session;
  try {
    session = await deps.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: invoice.id,
        line_items: [{ quantity: 1, price_data: { currency: invoice.currency.toLowerCase(), unit_amount: unitAmount, product_data: { name: `Invoice ${invoice.number ?? invoice.id}` } } }],
        metadata,
        payment_intent_data: { metadata, description: `Invoice ${invoice.number ?? invoice.id}` },
        success_url: ret.successUrl,
        cancel_url: ret.cancelUrl,
      },
      // A double click, a retry of the SDK or of the caller: one session.
      { idempotencyKey: key },
    );
  } catch (err) {
    // Stripe refuses the amount (below its minimum for the currency, say): nothing the payer can fix by retrying.
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.param !== undefined && /amount/.test(err.param)) {
      throw new DomainError('conflict', 'payment.unchargeable_amount', err.message, { cause: err });
    }
    throw err;
  }
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
  await tenantTx(deps.db, agencyId, (tx) =>
    insertSession(tx, { agencyId, invoiceId: invoice.id, amount: due.amount, currency: invoice.currency, idempotencyKey: key, stripeSessionId: session.id, url: session.url, status: 'open' }),
  );
  return { url: session.url };
}
