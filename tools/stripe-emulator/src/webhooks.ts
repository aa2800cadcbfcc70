import { newId } from './ids.js';
import { signatureHeader } from './signature.js';
import type { StripeEvent } from './types.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  secret: string;
  /** While a rolled secret is still honoured, Stripe signs with both: two `v1` in one header. */
  previous_secret: string | null;
  /** Event types sent (`*` for all), as a Stripe webhook endpoint's `enabled_events`. */
  enabled_events: string[];
  /** From the emulator's options: kept across resets. */
  configured: boolean;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  url: string;
  /** held: waiting for a release (reordering); pending: scheduled; failed: retries exhausted. */
  state: 'held' | 'pending' | 'delivering' | 'succeeded' | 'failed';
  attempts: DeliveryAttempt[];
  next_attempt_at: string | null;
  /** Set on the extra copies injected as duplicates. */
  duplicate: boolean;
}

export interface ChaosConfig {
  /** Extra copies of every event sent to each endpoint (Stripe may deliver an event more than once). */
  duplicates: number;
  /** Delay before the first attempt of each delivery. */
  delayMs: number;
  /** Hold deliveries until `release()`, which sends them in a chosen order. */
  hold: boolean;
}

export interface WebhookOptions {
  /** Delays between attempts while an endpoint fails; one attempt more than there are delays. */
  retryDelaysMs: number[];
  timeoutMs: number;
  now(): number;
  getEvent(id: string): StripeEvent | undefined;
}

export type ReleaseOrder = 'fifo' | 'reverse' | 'shuffle';

/**
 * Delivers every event to every endpoint as Stripe does: a POST of the event's JSON, signed
 * with the endpoint's secret, retried with back-off while the endpoint answers non-2xx or
 * cannot be reached. Deliveries are independent, so order is not guaranteed (as at Stripe).
 */
export class WebhookDispatcher {
  readonly endpoints: WebhookEndpoint[] = [];
  readonly deliveries: Delivery[] = [];
  chaos: ChaosConfig = { duplicates: 0, delayMs: 0, hold: false };
  private readonly timers = new Set<NodeJS.Timeout>();
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly options: WebhookOptions) {}

  get retryDelaysMs(): number[] {
    return this.options.retryDelaysMs;
  }

  set retryDelaysMs(delays: number[]) {
    this.options.retryDelaysMs = delays;
  }

  addEndpoint(url: string, secret: string = newId.secret(), enabledEvents: string[] = ['*'], configured = false): WebhookEndpoint {
    const endpoint = { id: newId.webhookEndpoint(), url, secret, previous_secret: null, enabled_events: enabledEvents, configured };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  /** A new signing secret; with `keepPrevious` the old one goes on signing too until the next roll. */
  rollSecret(id: string, keepPrevious: boolean): WebhookEndpoint | undefined {
    const endpoint = this.endpoints.find((e) => e.id === id);
    if (!endpoint) return undefined;
    endpoint.previous_secret = keepPrevious ? endpoint.secret : null;
    endpoint.secret = newId.secret();
    return endpoint;
  }

  removeEndpoint(id: string): boolean {
    const i = this.endpoints.findIndex((e) => e.id === id);
    if (i < 0) return false;
    this.endpoints.splice(i, 1);
    return true;
  }

  /** Queues an event for each endpoint that wants it; returns how many endpoints that is. */
  enqueue(event: StripeEvent): number {
    const targets = this.endpoints.filter((e) => e.enabled_events.some((t) => t === '*' || t === event.type));
    for (const endpoint of targets) {
      for (let copy = 0; copy <= this.chaos.duplicates; copy++) this.start(event, endpoint, copy > 0);
    }
    return targets.length;
  }

  /** Sends an event once more to every endpoint (a duplicate on demand). */
  redeliver(event: StripeEvent): Delivery[] {
    return this.endpoints.map((endpoint) => this.start(event, endpoint, true));
  }

  /** Sends the held deliveries in the given order, one after another's first attempt. */
  release(order: ReleaseOrder = 'fifo'): number {
    const held = this.deliveries.filter((d) => d.state === 'held');
    if (order === 'reverse') held.reverse();
    if (order === 'shuffle') {
      for (let i = held.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [held[i], held[j]] = [held[j]!, held[i]!];
      }
    }
    this.chaos.hold = false;
    for (const d of held) d.state = 'pending';
    this.active += held.length;
    // Sequential first attempts, so the endpoint sees exactly the chosen order.
    void held.reduce<Promise<void>>((prev, d) => prev.then(() => this.attempt(d)), Promise.resolve());
    return held.length;
  }

  /** Resolves once nothing is scheduled or in flight (held deliveries do not count). */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.deliveries.length = 0;
    this.chaos = { duplicates: 0, delayMs: 0, hold: false };
    for (const e of this.endpoints.filter((x) => !x.configured)) this.removeEndpoint(e.id);
    this.active = 0;
    this.settle();
  }

  stop(): void {
    this.stopped = true;
    this.reset();
  }

  private start(event: StripeEvent, endpoint: WebhookEndpoint, duplicate: boolean): Delivery {
    const delivery: Delivery = {
      id: newId.delivery(), event_id: event.id, event_type: event.type, endpoint_id: endpoint.id, url: endpoint.url,
      state: this.chaos.hold ? 'held' : 'pending', attempts: [], next_attempt_at: null, duplicate,
    };
    this.deliveries.push(delivery);
    if (delivery.state === 'held') return delivery;
    this.active++;
    this.schedule(delivery, this.chaos.delayMs);
    return delivery;
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    delivery.state = 'pending';
    delivery.next_attempt_at = new Date(Date.now() + delayMs).toISOString();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const event = this.options.getEvent(delivery.event_id);
    const endpoint = this.endpoints.find((e) => e.id === delivery.endpoint_id);
    if (this.stopped || !event || !endpoint) return this.finish(delivery, 'failed');
    delivery.state = 'delivering';
    delivery.next_attempt_at = null;
    // Stripe sends the event pretty-printed, and signs each attempt with its own timestamp.
    const payload = JSON.stringify(event, null, 2);
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signatureHeader(payload, [endpoint.secret, ...(endpoint.previous_secret ? [endpoint.previous_secret] : [])], this.options.now()),
        },
        body: payload,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    }
    if (this.stopped || !this.deliveries.includes(delivery)) return;
    delivery.attempts.push({ at: new Date(started).toISOString(), status, error, duration_ms: Date.now() - started });
    if (status !== null && status >= 200 && status < 300) {
      event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
      return this.finish(delivery, 'succeeded');
    }
    const delay = this.options.retryDelaysMs[delivery.attempts.length - 1];
    if (delay === undefined) return this.finish(delivery, 'failed');
    this.schedule(delivery, delay);
  }

  private finish(delivery: Delivery, state: 'succeeded' | 'failed'): void {
    delivery.state = state;
    delivery.next_attempt_at = null;
    this.active--;
    this.settle();
  }

  private settle(): void {
    if (this.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
