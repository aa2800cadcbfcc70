import { ibanSucceeds } from './cards.js';
import { expireDue } from './checkout.js';
import { expand } from './expand.js';
import { IdempotencyStore } from './idempotency.js';
import { paginate } from './list.js';
import { payWithBankDebit, settleBankDebit, type Payer } from './payments.js';
import { EmulatorState } from './state.js';
import { NO_REQUEST, type CheckoutSession, type RequestContext } from './types.js';
import { WebhookDispatcher } from './webhooks.js';

export interface EmulatorConfig {
  publicUrl: string;
  /** When set, the only API key accepted; otherwise any `sk_test_…` (or `rk_test_…`) key. */
  apiKey?: string;
  apiVersion: string;
  retryDelaysMs: number[];
  deliveryTimeoutMs: number;
  /** A bank debit settles by itself after this long (by its IBAN); null waits for the control. */
  asyncPaymentDelayMs: number | null;
}

/** A failure injected into the next API requests (429 rate limits, 500s), to exercise the SDK's retries. */
export interface Fault {
  status: number;
  remaining: number;
  path?: string;
}

/** State, webhook delivery and idempotency behind the HTTP edges (API, hosted page, controls). */
export class Emulator {
  readonly state: EmulatorState;
  readonly webhooks: WebhookDispatcher;
  readonly idempotency = new IdempotencyStore();
  faults: Fault[] = [];
  private readonly sweep: NodeJS.Timeout;

  constructor(readonly config: EmulatorConfig) {
    this.webhooks = new WebhookDispatcher({
      retryDelaysMs: [...config.retryDelaysMs],
      timeoutMs: config.deliveryTimeoutMs,
      now: () => this.state.now(),
      getEvent: (id) => this.state.events.get(id),
    });
    this.state = new EmulatorState(config.apiVersion, (event) => this.webhooks.enqueue(event));
    // Sessions past expires_at expire even when nobody asks about them, as at Stripe.
    this.sweep = setInterval(() => expireDue(this.state), 1000);
    this.sweep.unref();
  }

  expandWith<T extends object>(object: T, paths: readonly string[] | undefined): T {
    return expand(object, paths, {
      resolve: (id) => this.state.resolve(id),
      virtual: (owner, field) => {
        if (owner.object === 'checkout.session' && field === 'line_items') {
          const items = this.state.sessionExtras.get(String(owner.id))?.lineItems ?? [];
          return paginate(items, { limit: 100 }, `/v1/checkout/sessions/${String(owner.id)}/line_items`, 'item');
        }
        return undefined;
      },
    });
  }

  /** A bank debit from the hosted page or a control; settles by itself when a delay is configured. */
  startBankDebit(sessionId: string, iban: string, payer: Payer, ctx: RequestContext = NO_REQUEST): CheckoutSession {
    const session = payWithBankDebit(this.state, sessionId, iban, payer, ctx);
    const delay = this.config.asyncPaymentDelayMs;
    const pending = this.state.sessionExtras.get(sessionId)?.pendingDebit;
    if (delay !== null && pending) {
      pending.timer = setTimeout(() => {
        // A timer must not take the process down; a debit settled meanwhile by the control is simply done.
        try {
          settleBankDebit(this.state, sessionId, ibanSucceeds(iban) ? 'succeeded' : 'failed', NO_REQUEST);
        } catch (err) {
          process.stderr.write(`[stripe-emulator] bank debit of ${sessionId} not settled: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }, delay);
      pending.timer.unref();
    }
    return session;
  }

  /** Takes one injected fault matching the request, if any. */
  takeFault(path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.path || path.startsWith(f.path)));
    if (!fault) return undefined;
    fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  reset(): void {
    this.state.reset();
    this.webhooks.reset();
    this.webhooks.retryDelaysMs = [...this.config.retryDelaysMs];
    this.idempotency.clear();
    this.faults = [];
  }

  stop(): void {
    clearInterval(this.sweep);
    this.state.reset();
    this.webhooks.stop();
  }
}
