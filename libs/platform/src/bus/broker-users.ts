import { SERVICE_SCHEMAS, serviceRole, type ServiceName } from '../db/roles.js';
import { EVENTS_EXCHANGE } from './connection.js';

/** The events a service may publish: its own, `<prefix>.…` (the gateway's are `identity.…`). */
export const eventPrefixOf = (service: ServiceName): string => SERVICE_SCHEMAS[service];

/** `amqpUrl` with the service's own broker user (development password: the user's name). */
export function brokerUrlFor(amqpUrl: string, service: ServiceName): string {
  const url = new URL(amqpUrl);
  url.username = serviceRole(service);
  url.password = serviceRole(service);
  return url.toString();
}

/** The management API next to an AMQP broker: same host, port 15672, the AMQP URL's credentials. */
function managementOf(amqpUrl: string, managementUrl?: string) {
  const amqp = new URL(amqpUrl);
  const base = new URL(managementUrl ?? `http://${amqp.hostname}:15672`);
  const vhost = decodeURIComponent(amqp.pathname.replace(/^\//, '')) || '/';
  const user = decodeURIComponent(amqp.username || 'guest');
  const password = decodeURIComponent(amqp.password || 'guest');
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(`/api/${path}`, base), {
      method,
      headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) throw new Error(`RabbitMQ management ${method} /api/${path}: ${res.status} ${await res.text()}`);
  };
  return { call, vhost: encodeURIComponent(vhost) };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Creates one broker user per service (idempotent) through the management API, allowed to
 * publish to the events exchange of `namespace` only with routing keys of its own events,
 * `<prefix>.…`: crm cannot publish `billing.invoice.paid.v1`. Queues and other exchanges stay
 * open to it (consumers declare theirs; retries go through the default exchange). Returns false,
 * changing nothing, when the management API does not answer: services then share the AMQP URL's
 * user (guest in development).
 */
export async function ensureBrokerUsers(amqpUrl: string, options: { namespace?: string; managementUrl?: string } = {}): Promise<boolean> {
  const { call, vhost } = managementOf(amqpUrl, options.managementUrl);
  try {
    await call('GET', 'overview');
  } catch {
    return false;
  }
  for (const service of Object.keys(SERVICE_SCHEMAS) as ServiceName[]) {
    const user = serviceRole(service);
    await call('PUT', `users/${encodeURIComponent(user)}`, { password: user, tags: '' });
    await call('PUT', `permissions/${vhost}/${encodeURIComponent(user)}`, { configure: '.*', write: '.*', read: '.*' });
    // Per exchange name (not a pattern): each namespace's exchange gets its own entry.
    await call('PUT', `topic-permissions/${vhost}/${encodeURIComponent(user)}`, {
      exchange: `${options.namespace ?? ''}${EVENTS_EXCHANGE}`,
      write: `^${escapeRegex(eventPrefixOf(service))}\\.`,
      read: '.*',
    });
  }
  return true;
}
