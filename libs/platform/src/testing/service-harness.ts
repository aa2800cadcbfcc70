import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import type { Role } from '@atelier/contracts';
import { INTERNAL_TOKEN_HEADER, InternalAudience, signInternalToken } from '../auth/internal-token.js';
import type { Service } from '../service/service.js';
import { TEST_INTERNAL_SECRET } from './test-database.js';

export interface TestPrincipal {
  userId: string;
  agencyId: string;
  role: Role;
}

export const newPrincipal = (role: Role = 'owner', agencyId: string = randomUUID()): TestPrincipal => ({ userId: randomUUID(), agencyId, role });

const audiences = new Map<string, Promise<InternalAudience>>();

/** Which service runs at `baseUrl` (its `/healthz` says), so a test token is minted for it. */
export function audienceOf(baseUrl: string): Promise<InternalAudience> {
  let known = audiences.get(baseUrl);
  if (!known) {
    known = fetch(`${baseUrl}/healthz`)
      .then((r) => r.json() as Promise<{ service?: string }>)
      .then((h) => InternalAudience.parse(h.service));
    audiences.set(baseUrl, known);
  }
  return known;
}

/** The internal token the gateway would send to the service at `baseUrl` for `who`. */
export async function internalTokenFor(baseUrl: string, who: TestPrincipal): Promise<string> {
  return signInternalToken(TEST_INTERNAL_SECRET, { ...who, aud: await audienceOf(baseUrl) });
}

/** Calls a running service directly, as the gateway would on behalf of `who`. */
export function serviceClient(baseUrl: string, who?: TestPrincipal) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(who ? { [INTERNAL_TOKEN_HEADER]: await internalTokenFor(baseUrl, who) } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, headers: res.headers, body: json as any };
  };
}

/**
 * Stops a service started by a test and removes its queues and exchange. The service stops first,
 * publishing included: a connection still publishing into a quorum queue that is being deleted can
 * be held in flow control, and the broker then reads nothing more from it, its deletes included.
 */
export async function stopTestService(service: Service): Promise<void> {
  const consumers = service.consumers;
  const exchange = service.ctx.bus.exchangeName;
  await service.stop();
  const conn = await amqp.connect(service.ctx.config.AMQP_URL, { timeout: 10_000 }).catch(() => null);
  if (!conn) return;
  try {
    for (const c of consumers) await c.deleteQueues(conn).catch(() => {});
    const ch = await conn.createChannel();
    await ch.deleteExchange(exchange).catch(() => {});
    await ch.close().catch(() => {});
  } finally {
    await conn.close().catch(() => {});
  }
}
