import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INTERNAL_TOKEN_HEADER, signInternalToken } from '@atelier/platform';
import { TEST_INTERNAL_SECRET } from '@atelier/platform/testing';
import type { StripeEmulator } from '@atelier/tool-stripe-emulator';

/** What the gateway does for `/webhooks/stripe`: the bytes as they came, with the system token. */
export interface WebhookEdge {
  url: string;
  /** Answer 500 to the sender after the service answered (and committed) this many times: a crash before the 2xx. */
  dropResponses: number;
  /** Refuse connections (the endpoint is down): the sender gets a 503 without reaching the service. */
  down: boolean;
  statuses: number[];
  close(): Promise<void>;
}

export async function webhookEdge(serviceUrl: string): Promise<WebhookEdge> {
  const edge: WebhookEdge = { url: '', dropResponses: 0, down: false, statuses: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (edge.down) {
        res.writeHead(503).end();
        return;
      }
      const token = signInternalToken(TEST_INTERNAL_SECRET, { system: true, aud: 'payments' });
      const answer = await fetch(`${serviceUrl}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json', 'stripe-signature': String(req.headers['stripe-signature'] ?? ''), [INTERNAL_TOKEN_HEADER]: token },
        body: Buffer.concat(chunks),
      });
      const text = await answer.text();
      edge.statuses.push(answer.status);
      if (edge.dropResponses > 0) {
        edge.dropResponses--;
        res.writeHead(500).end();
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  edge.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
  edge.close = () => new Promise((resolve) => server.close(() => resolve()));
  return edge;
}

/** POSTs a control of the emulator (`/_emulator/...`) and returns its JSON. */
export async function control(emulator: StripeEmulator, path: string, body: unknown = {}): Promise<unknown> {
  const res = await fetch(`${emulator.url}/_emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`control ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** POSTs straight to the service's webhook route with the system token (as the gateway would). */
export async function postWebhook(serviceUrl: string, body: string | Buffer, signature: string | undefined): Promise<{ status: number; body: unknown }> {
  const token = signInternalToken(TEST_INTERNAL_SECRET, { system: true, aud: 'payments' });
  const res = await fetch(`${serviceUrl}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(signature ? { 'stripe-signature': signature } : {}), [INTERNAL_TOKEN_HEADER]: token },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
