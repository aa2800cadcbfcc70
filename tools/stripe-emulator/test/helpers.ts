import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from '../src/index.js';

export const API_KEY = 'sk_test_emulator_tests';

export async function startEmulator(options: StripeEmulatorOptions = {}): Promise<{ emulator: StripeEmulator; stripe: Stripe }> {
  const emulator = await startStripeEmulator(options);
  return { emulator, stripe: stripeFor(emulator) };
}

/** stripe-node pointed at the emulator exactly as payments-service points it. */
export function stripeFor(emulator: StripeEmulator, apiKey = API_KEY, maxNetworkRetries = 0): Stripe {
  return new Stripe(apiKey, { ...emulator.stripeConfig, maxNetworkRetries });
}

export interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
  status: number;
}

/** A real HTTP endpoint for webhooks: records each request and answers with the next scripted status (then 200). */
export class WebhookReceiver {
  readonly received: Received[] = [];
  script: number[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.script.shift() ?? 200;
        this.received.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/stripe`;
    return this;
  }

  events(): Stripe.Event[] {
    return this.received.map((r) => JSON.parse(r.raw) as Stripe.Event);
  }

  clear(): void {
    this.received.length = 0;
    this.script = [];
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Calls a control of the emulator (`/_emulator/...`). */
export async function control<T = unknown>(emulator: StripeEmulator, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> {
  const res = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`control ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Posts the hosted checkout page's form like a browser does (no redirect following). */
export async function submitCheckout(session: Stripe.Checkout.Session, fields: Record<string, string>): Promise<Response> {
  const url = new URL(session.url!);
  return fetch(`${url.origin}${url.pathname}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

export const sessionParams = (overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams => ({
  mode: 'payment',
  line_items: [{ price_data: { currency: 'eur', unit_amount: 12_345, product_data: { name: 'Invoice INV-0001' } }, quantity: 1 }],
  metadata: { invoice_id: 'inv_1', agency_id: 'ag_1' },
  payment_intent_data: { metadata: { invoice_id: 'inv_1' } },
  success_url: 'http://localhost:3000/pay/tok?session_id={CHECKOUT_SESSION_ID}',
  cancel_url: 'http://localhost:3000/pay/tok?cancelled=1',
  customer_email: 'john@acme.test',
  ...overrides,
});
