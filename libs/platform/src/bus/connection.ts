import { hostname } from 'node:os';
import { Socket } from 'node:net';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';

export const EVENTS_EXCHANGE = 'atelier.events';

type Listener = (conn: ChannelModel) => Promise<void>;

export interface BusOptions {
  /** Prefixes the exchange and every queue, so parallel test runs share a broker without meeting. */
  namespace?: string;
  /** How long a publisher waits for the broker's confirms before it gives up and publishes again. */
  confirmTimeoutMs?: number;
}

export const DEFAULT_CONFIRM_TIMEOUT_MS = 10_000;

/** The broker did not confirm in time: the confirm may be lost for good, so the caller publishes again. */
export class ConfirmTimeoutError extends Error {
  constructor(ms: number) {
    super(`the broker did not confirm within ${ms} ms`);
    this.name = 'ConfirmTimeoutError';
  }
}

/**
 * One AMQP connection that reconnects by itself with capped back-off. Consumers and the relay
 * register `onConnect` listeners, which run again after every reconnect to rebuild their channels.
 */
export class BusConnection {
  private conn: ChannelModel | null = null;
  private publishChannel: Promise<ConfirmChannel> | null = null;
  /** The channel publishChannel resolved to, to drop it at once when its confirms time out. */
  private openPublishChannel: ConfirmChannel | null = null;
  private listeners: Listener[] = [];
  private closing = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;

  private readonly exchange: string;
  private readonly namespace: string;
  private readonly confirmTimeoutMs: number;
  /**
   * What the broker shows for this connection (its client-provided name): service, host and pid,
   * so an operator can tell replicas apart and close one (docs/runbook.md).
   */
  readonly connectionName: string;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    options: BusOptions | string = {},
  ) {
    if (typeof options === 'string') options = { namespace: options };
    this.namespace = options.namespace ?? '';
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
    this.exchange = `${this.namespace}${EVENTS_EXCHANGE}`;
    this.connectionName = `${this.namespace}${String(logger.bindings().service ?? 'atelier')}@${hostname()}/${process.pid}`;
  }

  queueName(name: string): string {
    return `${this.namespace}${name}`;
  }

  /** The live connection, if any (tests use it to inspect queues). */
  get connection(): ChannelModel | null {
    return this.conn;
  }

  get connected(): boolean {
    return this.conn !== null;
  }

  get exchangeName(): string {
    return this.exchange;
  }

  /** Starts connecting; resolves after the first attempt whether or not it succeeded. */
  start(): Promise<void> {
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  async onConnect(listener: Listener): Promise<void> {
    this.listeners.push(listener);
    if (this.conn) await listener(this.conn).catch((err) => this.logger.error({ err }, 'bus listener failed'));
  }

  offConnect(listener: Listener): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }

  /** A confirm channel for publishing; throws while the broker is unreachable. */
  async confirmChannel(): Promise<ConfirmChannel> {
    const conn = this.conn;
    if (!conn) throw new Error('message broker is not connected');
    this.publishChannel ??= this.withinConfirmTimeout(conn.createConfirmChannel()).then((ch) => {
      ch.on('error', (err) => this.logger.warn({ err }, 'publish channel error'));
      ch.on('close', () => this.forgetPublishChannel(ch));
      this.openPublishChannel = ch;
      return ch;
    });
    try {
      return await this.publishChannel;
    } catch (err) {
      this.publishChannel = null;
      throw err;
    }
  }

  /**
   * Waits for the broker to confirm everything published on `ch`, at most confirmTimeoutMs. A
   * confirm that never comes would otherwise hold the caller (and the relay's claim transaction)
   * forever; after a timeout the channel is dropped (its publish channel is opened afresh) and the
   * caller publishes again, at least once.
   */
  async waitForConfirms(ch: ConfirmChannel): Promise<void> {
    try {
      await this.withinConfirmTimeout(ch.waitForConfirms());
    } catch (err) {
      if (err instanceof ConfirmTimeoutError) this.dropPublishChannel(ch);
      throw err;
    }
  }

  /** A broker that has gone silent without closing the socket answers nothing: bound every wait on it. */
  private async withinConfirmTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConfirmTimeoutError(this.confirmTimeoutMs)), this.confirmTimeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private dropPublishChannel(ch: ConfirmChannel): void {
    this.logger.warn({ timeoutMs: this.confirmTimeoutMs }, 'publisher confirms timed out; dropping the channel');
    this.forgetPublishChannel(ch);
    ch.close().catch(() => {});
  }

  private forgetPublishChannel(ch: ConfirmChannel): void {
    if (this.openPublishChannel !== ch) return;
    this.openPublishChannel = null;
    this.publishChannel = null;
  }

  async check(): Promise<void> {
    if (!this.conn) throw new Error('message broker is not connected');
  }

  /** Removes the namespace's exchange (tests clean up after themselves). */
  async deleteExchange(): Promise<void> {
    if (!this.conn) return;
    const ch = await this.conn.createChannel();
    await ch.deleteExchange(this.exchange);
    await ch.close();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    const conn = this.conn;
    this.conn = null;
    if (conn) await conn.close().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closing) return;
    try {
      // Nagle would hold each small frame (publish, confirm, delivery, ack) for the peer's delayed
      // ACK, about 40 ms per hop at a steady event rate.
      const conn = await amqp.connect(this.url, { noDelay: true, clientProperties: { connection_name: this.connectionName } });
      coalesceWrites(conn);
      conn.on('error', (err) => this.logger.warn({ err }, 'broker connection error'));
      conn.on('close', () => {
        if (this.conn !== conn) return;
        this.conn = null;
        this.publishChannel = null;
        this.openPublishChannel = null;
        if (!this.closing) {
          this.logger.warn('broker connection lost; reconnecting');
          this.schedule();
        }
      });
      try {
        const setup = await conn.createChannel();
        await setup.assertExchange(this.exchange, 'topic', { durable: true });
        await setup.close();
      } catch (err) {
        await conn.close().catch(() => {});
        throw err;
      }
      this.conn = conn;
      this.attempt = 0;
      this.logger.info('broker connected');
      for (const l of this.listeners) await l(conn).catch((err) => this.logger.error({ err }, 'bus listener failed'));
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'broker unreachable; will retry');
      this.schedule();
    }
  }

  private schedule() {
    if (this.closing || this.timer) return;
    const delay = Math.min(250 * 2 ** this.attempt++, 5_000);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.start();
    }, delay);
    this.timer.unref();
  }
}

/**
 * amqplib writes every frame to the socket on its own: a relay batch of 200 events, or the acks of
 * a consumer group, cost hundreds of write calls, and a write on a loopback or virtual network is
 * dear (a third of crm-service's CPU during an import went to them). Corking the socket at the
 * first write of a tick and uncorking on the next sends all of that tick's frames in one writev.
 * Uses amqplib's socket (not part of its typed API); does nothing if that is not a net.Socket.
 */
function coalesceWrites(conn: ChannelModel): void {
  const socket = (conn as unknown as { connection?: { stream?: unknown } }).connection?.stream;
  if (!(socket instanceof Socket)) return;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  }) as typeof socket.write;
}
