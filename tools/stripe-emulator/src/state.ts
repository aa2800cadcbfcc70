import { newId } from './ids.js';
import type { Charge, CheckoutSession, LineItem, Metadata, PaymentIntent, Refund, RequestContext, StripeEvent } from './types.js';

/** Objects of one kind in creation order; Stripe lists them newest first. */
export class Collection<T extends { id: string; created: number }> {
  private readonly items = new Map<string, { seq: number; item: T }>();
  private seq = 0;

  add(item: T): T {
    this.items.set(item.id, { seq: this.seq++, item });
    return item;
  }

  get(id: string): T | undefined {
    return this.items.get(id)?.item;
  }

  newestFirst(filter: (item: T) => boolean = () => true): T[] {
    return [...this.items.values()]
      .sort((a, b) => b.item.created - a.item.created || b.seq - a.seq)
      .map((e) => e.item)
      .filter(filter);
  }

  get size(): number {
    return this.items.size;
  }

  clear(): void {
    this.items.clear();
  }
}

export interface SessionExtras {
  lineItems: LineItem[];
  paymentIntentData: { metadata: Metadata; description: string | null };
  /** The IBAN of a bank debit awaiting its outcome. */
  pendingDebit?: { iban: string; timer?: NodeJS.Timeout };
}

/** Everything the emulator knows; `reset()` empties it between tests. */
export class EmulatorState {
  readonly sessions = new Collection<CheckoutSession>();
  readonly sessionExtras = new Map<string, SessionExtras>();
  readonly paymentIntents = new Collection<PaymentIntent>();
  readonly charges = new Collection<Charge>();
  readonly refunds = new Collection<Refund>();
  readonly events = new Collection<StripeEvent>();
  /** Seconds added to the wall clock (a control moves time to test expiry and the 30-day window). */
  clockOffset = 0;

  constructor(
    readonly apiVersion: string,
    /** Hands an event to webhook delivery; returns how many endpoints will receive it. */
    private readonly deliver: (event: StripeEvent) => number,
  ) {}

  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  emit(type: string, object: { id: string }, ctx: RequestContext, previous?: Record<string, unknown>): StripeEvent {
    const event: StripeEvent = {
      id: newId.event(),
      object: 'event',
      api_version: this.apiVersion,
      created: this.now(),
      data: { object: structuredClone(object) as Record<string, unknown>, ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      type,
    };
    this.events.add(event);
    event.pending_webhooks = this.deliver(event);
    return event;
  }

  /** Any stored object by id (for `expand`). */
  resolve(id: string): object | undefined {
    return this.sessions.get(id) ?? this.paymentIntents.get(id) ?? this.charges.get(id) ?? this.refunds.get(id) ?? this.events.get(id);
  }

  reset(): void {
    for (const extras of this.sessionExtras.values()) clearTimeout(extras.pendingDebit?.timer);
    this.sessions.clear();
    this.sessionExtras.clear();
    this.paymentIntents.clear();
    this.charges.clear();
    this.refunds.clear();
    this.events.clear();
    this.clockOffset = 0;
  }
}

/** Applies a patch and returns Stripe's `previous_attributes`: the old values of the fields that changed. */
export function update<T extends object>(target: T, patch: Partial<T>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const old = (target as Record<string, unknown>)[key];
    if (JSON.stringify(old) !== JSON.stringify(value)) previous[key] = old === undefined ? null : structuredClone(old);
  }
  Object.assign(target, patch);
  return previous;
}
