import net from 'node:net';

export interface TcpProxy {
  readonly host: string;
  /** The port the proxy listens on; it stays the same across cut() and restore(). */
  readonly port: number;
  /** Whether the proxy is accepting connections. */
  readonly listening: boolean;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /** `url` with its host and port replaced by the proxy's (e.g. an AMQP or Postgres URL of the target). */
  urlThrough(url: string): string;
  /** Makes the target unreachable: stops listening (new connections are refused) and destroys every open connection. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /**
   * Keeps the connections open but stops passing what the target sends (buffered, not dropped):
   * to the client the target has gone silent, as when a confirm or a reply is lost.
   */
  hold(): void;
  /** Passes the target's bytes again, the held ones first. */
  release(): void;
  /** cut(), for good. */
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of `target`, for tests that need a dependency (a broker, a database) to
 * become unreachable and come back on the same address while the code under test keeps running.
 */
export async function startTcpProxy(target: { host: string; port: number }, options: { host?: string; port?: number } = {}): Promise<TcpProxy> {
  const host = options.host ?? '127.0.0.1';
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let server: net.Server | null = null;
  let port = options.port ?? 0;
  let held = false;

  const onConnection = (client: net.Socket) => {
    const upstream = net.connect({ host: target.host, port: target.port });
    const pair = { client, upstream };
    pairs.add(pair);
    const teardown = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      s.on('error', teardown);
      s.on('close', teardown);
    }
    client.pipe(upstream);
    if (!held) upstream.pipe(client);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer(onConnection);
      s.once('error', reject);
      s.listen({ host, port, exclusive: true }, () => {
        s.off('error', reject);
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });

  const cut = async () => {
    const s = server;
    server = null;
    const closed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
    for (const { client, upstream } of [...pairs]) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    await closed;
  };

  await listen();
  return {
    host,
    get port() {
      return port;
    },
    get listening() {
      return server !== null;
    },
    get connections() {
      return pairs.size;
    },
    urlThrough(url: string) {
      const u = new URL(url);
      u.hostname = host;
      u.port = String(port);
      return u.toString();
    },
    cut,
    async restore() {
      if (!server) await listen();
    },
    hold() {
      held = true;
      for (const { client, upstream } of pairs) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    release() {
      held = false;
      for (const { client, upstream } of pairs) upstream.pipe(client);
    },
    close: cut,
  };
}
