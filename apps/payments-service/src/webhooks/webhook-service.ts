import type Stripe from 'stripe';
import { fromStripeAmount } from '@atelier/money';
import { DomainError, tenantTx } from '@atelier/platform';
import { setSessionStatus } from '../checkout/checkout-repository.js';
import type { PaymentsDeps } from '../deps.js';
import { upsertRefund } from '../payments/payment-repository.js';
import { readPaymentState, syncPayment } from '../payments/payment-sync.js';
import { eventState, intentState, type IntentState } from '../payments/stripe-intent.js';
import { agencyOfObject, HANDLED_EVENTS, intentIdOf, objectOf } from './stripe-events.js';
import { claimLedgerRow, recordIgnoredEvent, recordLedgerFailure, finishLedgerRow, selectLedgerRow, type LedgerEntry } from './webhook-repository.js';

/** Stripe's own tolerance for a signature's timestamp. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type Outcome = 'processed' | 'ignored' | 'duplicate' | 'not_ours';

/** `POST /webhooks/stripe`: the bytes as received must carry a valid signature; then the event is applied once. */
export async function receiveWebhook(deps: PaymentsDeps, raw: Buffer, signature: string | undefined): Promise<Outcome> {
  let event: Stripe.Event;
  try {
    event = deps.stripe.webhooks.constructEvent(raw, signature ?? '', deps.config.STRIPE_WEBHOOK_SECRET, SIGNATURE_TOLERANCE_SECONDS);
  } catch (err) {
    throw new DomainError('invalid', 'webhook.invalid_signature', 'The Stripe-Signature header does not verify over this body', { cause: err });
  }
  // Signed, but not an event as Stripe sends them: nothing to record it by.
  const e = event as unknown as Partial<Record<'id' | 'type' | 'created', unknown>> | null;
  if (!e || typeof e !== 'object' || typeof e.id !== 'string' || typeof e.type !== 'string' || typeof e.created !== 'number' || !Number.isFinite(e.created)) {
    throw new DomainError('invalid', 'webhook.invalid_event', 'The body is not a Stripe event (id, type and created are required)');
  }
  return applyStripeEvent(deps, event);
}

/**
 * Records the event in the ledger once and applies it, in one transaction: the webhook answers
 * 2xx only after both are committed, and a redelivery finds the row and changes nothing.
 * Deliveries come in any order, so an event's own object is applied only when it tells the whole
 * state and is not older than what the payment holds (`eventState`, `syncPayment`); otherwise the
 * PaymentIntent is fetched as Stripe holds it now and the payment brought to it. `replay` applies
 * an event the ledger holds again (owner's replay, reconciliation of a failed row), always from a
 * fetch.
 */
export async function applyStripeEvent(deps: PaymentsDeps, event: Stripe.Event, options: { replay?: boolean } = {}): Promise<Outcome> {
  const recorded = recordedEventsOf(deps);
  if (!options.replay && recorded.has(event.id)) return 'duplicate';
  const outcome = await applyOnce(deps, event, options);
  if (outcome !== 'not_ours') remember(recorded, event.id, true);
  return outcome;
}

async function applyOnce(deps: PaymentsDeps, event: Stripe.Event, options: { replay?: boolean }): Promise<Outcome> {
  const handled = HANDLED_EVENTS.has(event.type);
  const intentId = intentIdOf(event);
  const agencies = intentAgenciesOf(deps.stripe);
  learnAgency(agencies, event);
  const told = handled && !options.replay ? eventState(event) : null;
  if (told) {
    const outcome = await record(deps, event, told.agencyId, told, handled);
    if (outcome !== 'stale') return outcome;
  }
  // The object of a charge or refund event carries no metadata: its intent names the agency. An
  // ignored one only needs the agency to be recorded under, which an earlier event of the same
  // intent may have told.
  let agencyId = agencyOfObject(event) ?? (!handled && intentId ? (agencies.get(intentId) ?? null) : null);
  const fetches = intentId !== null && (handled || !agencyId);
  // A duplicate is answered before Stripe is asked anything; without a fetch to save, the claim
  // in the transaction below finds it just as well.
  if (!told && agencyId && fetches && !options.replay && (await alreadyApplied(deps, agencyId, event.id))) return 'duplicate';
  let intent: Stripe.PaymentIntent | null = null;
  try {
    intent = fetches ? await deps.stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] }) : null;
  } catch (err) {
    if (agencyId) await recordFailure(deps, ledgerEntry(event, agencyId), err);
    throw err;
  }
  const seen = intent ? intentState(intent) : null;
  if (intent?.metadata?.agency_id) remember(agencies, intent.id, intent.metadata.agency_id);
  if (!agencyId) {
    agencyId = intent?.metadata?.agency_id ?? null;
    if (!agencyId) return 'not_ours';
  }
  const outcome = await record(deps, event, agencyId, seen, handled, options.replay);
  if (outcome === 'stale') throw new Error(`the state fetched for ${event.id} was refused as stale`);
  return outcome;
}

const ledgerEntry = (event: Stripe.Event, agencyId: string): LedgerEntry => ({
  agencyId,
  stripeEventId: event.id,
  type: event.type,
  stripeCreatedAt: new Date(event.created * 1000),
  payload: event,
});

/** Rolls back the claim of an event whose own object turned out older than the payment's state. */
class StaleEvent extends Error {}

/** The ledger row and what the event changes, in one tenant transaction; `stale` when `seen` (an event's object) is older than the payment. */
async function record(deps: PaymentsDeps, event: Stripe.Event, agencyId: string, seen: IntentState | null, handled: boolean, replay = false): Promise<Outcome | 'stale'> {
  const entry = ledgerEntry(event, agencyId);
  try {
    return await tenantTx(deps.db, agencyId, async (tx) => {
      if (!handled && !replay) {
        await recordIgnoredEvent(tx, entry);
        return 'ignored';
      }
      const claim = claimLedgerRow(tx, entry, handled ? 'processed' : 'ignored');
      // The payment's reads go out in the same write as the claim (and BEGIN): a duplicate only
      // wasted them, and a first delivery saves a round trip.
      const syncing = handled && seen !== null && seen.agencyId === agencyId;
      const state = syncing ? readPaymentState(tx, seen) : null;
      state?.catch(() => {});
      const { row, fresh } = await claim;
      if (!fresh && row.status !== 'failed' && !replay) return 'duplicate';
      const attempts = fresh ? row.attempts : row.attempts + 1;
      if (!handled) {
        if (!fresh) await finishLedgerRow(tx, row.id, 'ignored', attempts);
        return 'ignored';
      }
      const object = objectOf(event) as { id: string; object?: string; status?: string; amount?: number; currency?: string };
      const refundFailed = object.object === 'refund' && (object.status === 'failed' || object.status === 'canceled');
      // The session's status and the payment are independent: their statements share round trips.
      const [, synced] = await Promise.all([
        object.object === 'checkout.session' ? setSessionStatus(tx, object.id, event.type === 'checkout.session.expired' ? 'expired' : 'complete') : undefined,
        syncing && state ? syncPayment(tx, seen, { refundFailed }, state) : undefined,
      ]);
      let applied = false;
      if (synced) {
        const { payment, stale } = synced;
        if (stale) throw new StaleEvent();
        applied = true;
        if (object.object === 'refund' && object.amount !== undefined && object.currency) {
          await upsertRefund(tx, {
            agencyId,
            paymentId: payment.id,
            amount: fromStripeAmount(object.amount, object.currency.toUpperCase()).amount,
            status: refundRowStatus(object.status),
            stripeRefundId: object.id,
          });
        }
      }
      const status = applied || object.object === 'checkout.session' ? 'processed' : 'ignored';
      // A fresh row was written as processed, first attempt, no error: nothing to change then.
      if (!fresh || status !== 'processed') await finishLedgerRow(tx, row.id, status, attempts);
      return status;
    });
  } catch (err) {
    if (err instanceof StaleEvent) return 'stale';
    await recordFailure(deps, entry, err);
    throw err;
  }
}

/** The failed attempt in the ledger (its own transaction: the attempt's rolled back); Stripe redelivers on the 5xx. */
async function recordFailure(deps: PaymentsDeps, entry: LedgerEntry, err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  await tenantTx(deps.db, entry.agencyId, (tx) => recordLedgerFailure(tx, entry, message.slice(0, 1000))).catch(() => {});
}

/**
 * The agency of each PaymentIntent this process has seen in a signed event or fetched, per Stripe
 * account (client): an intent's metadata is set when its session is made and never changes.
 * Bounded, as is every map here; the oldest entries go first.
 */
const REMEMBERED_MAX = 10_000;
const intentAgencies = new WeakMap<Stripe, Map<string, string>>();

function intentAgenciesOf(stripe: Stripe): Map<string, string> {
  let map = intentAgencies.get(stripe);
  if (!map) intentAgencies.set(stripe, (map = new Map()));
  return map;
}

/**
 * The events this process has seen committed to the ledger (processed, ignored, or found there),
 * per database: Stripe redelivers an event that was answered slowly or twice, and such a
 * duplicate is answered without a transaction. The ledger's unique event id stays what decides
 * (another replica, or this one after a restart, finds the row there).
 */
const recordedEvents = new WeakMap<PaymentsDeps['db'], Map<string, true>>();

function recordedEventsOf(deps: PaymentsDeps): Map<string, true> {
  let map = recordedEvents.get(deps.db);
  if (!map) recordedEvents.set(deps.db, (map = new Map()));
  return map;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.has(key)) return;
  if (map.size >= REMEMBERED_MAX) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** What a signed event's own object says: a PaymentIntent's agency, or the agency of a session's intent. */
function learnAgency(map: Map<string, string>, event: Stripe.Event): void {
  const agencyId = agencyOfObject(event);
  const object = objectOf(event);
  if (!agencyId) return;
  if (object.object === 'payment_intent' && object.id) remember(map, object.id, agencyId);
  else if (object.object === 'checkout.session') {
    const intentId = intentIdOf(event);
    if (intentId) remember(map, intentId, agencyId);
  }
}

async function alreadyApplied(deps: PaymentsDeps, agencyId: string, stripeEventId: string): Promise<boolean> {
  const row = await tenantTx(deps.db, agencyId, (tx) => selectLedgerRow(tx, stripeEventId));
  return row !== undefined && row.status !== 'failed';
}

const refundRowStatus = (s: string | undefined): 'pending' | 'succeeded' | 'failed' | 'canceled' =>
  s === 'succeeded' || s === 'failed' || s === 'canceled' ? s : 'pending';
