/**
 * Test and benchmark namespaces leave durable (quorum) queues behind when a run is killed, and a
 * consumer added later is easy to miss in a harness's list. RabbitMQ slows down and at a few
 * hundred leftover quorum queues stops completing handshakes, so cleanup goes by name prefix
 * through the management API rather than by a list of known queues.
 */

/** Names of the namespaces tests and benchmarks make: `t1a2b3c4d.`, `e2e1a2b3c.`, `bench1a2b3c4d.`. */
export const THROWAWAY_NAMESPACE = /^(t[0-9a-f]{8}|e2e[0-9a-f]{6}|bench[0-9a-f]{8})\./;

interface Management {
  get: <T>(path: string) => Promise<T>;
  del: (path: string) => Promise<void>;
  vhost: string;
}

function managementFor(amqpUrl: string, managementUrl = process.env.RABBITMQ_MANAGEMENT_URL): Management {
  const amqp = new URL(amqpUrl);
  const base = new URL(managementUrl ?? `http://${amqp.hostname}:15672`);
  const user = decodeURIComponent(base.username || amqp.username || 'guest');
  const password = decodeURIComponent(base.password || amqp.password || 'guest');
  const headers = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  const origin = `${base.protocol}//${base.host}`;
  const request = async (method: string, path: string) => {
    const res = await fetch(`${origin}/api/${path}`, { method, headers, signal: AbortSignal.timeout(10_000) });
    // A queue that went away meanwhile is what we wanted anyway.
    if (!res.ok && res.status !== 404) throw new Error(`RabbitMQ management ${method} /api/${path}: ${res.status}`);
    return res;
  };
  return {
    get: async <T>(path: string) => (await (await request('GET', path)).json()) as T,
    del: async (path: string) => void (await request('DELETE', path)),
    vhost: encodeURIComponent(decodeURIComponent(amqp.pathname.replace(/^\//, '')) || '/'),
  };
}

/**
 * Deletes every queue and exchange whose name `matches`, through the management API. Returns how
 * many went, or null when the management API does not answer (nothing is changed then).
 */
export async function purgeBusNames(amqpUrl: string, matches: (name: string) => boolean, managementUrl?: string): Promise<number | null> {
  const api = managementFor(amqpUrl, managementUrl);
  let queues: { name: string }[];
  let exchanges: { name: string }[];
  try {
    queues = await api.get<{ name: string }[]>(`queues/${api.vhost}?columns=name`);
    exchanges = await api.get<{ name: string }[]>(`exchanges/${api.vhost}?columns=name`);
  } catch {
    return null;
  }
  const doomed = [
    ...queues.filter((q) => matches(q.name)).map((q) => `queues/${api.vhost}/${encodeURIComponent(q.name)}`),
    ...exchanges.filter((e) => matches(e.name)).map((e) => `exchanges/${api.vhost}/${encodeURIComponent(e.name)}`),
  ];
  // A few at a time: the broker serialises quorum-queue deletes, a flood only queues them up.
  for (let i = 0; i < doomed.length; i += 8) await Promise.all(doomed.slice(i, i + 8).map((path) => api.del(path)));
  return doomed.length;
}

/** Deletes every queue and exchange of one namespace (its prefix), whatever consumers it had. */
export const purgeBusNamespace = (amqpUrl: string, namespace: string, managementUrl?: string) => {
  if (!namespace) throw new Error('refusing to purge the default namespace');
  return purgeBusNames(amqpUrl, (name) => name.startsWith(namespace), managementUrl);
};
