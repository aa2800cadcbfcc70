import { EventEnvelope } from '@atelier/contracts';
import { z } from 'zod';
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../db/database.js';
import { sendNow, tenantTx, type TenantTx } from '../db/tenant-tx.js';
import { isUniqueViolation } from '../db/sqlstate.js';
import { logContext } from '../logging/logger.js';
import { ConfirmTimeoutError, type BusConnection } from './connection.js';

export interface ConsumerSpec {
  /** Durable queue name, `<service>.<purpose>`; also the inbox's consumer name. */
  queue: string;
  /** Topic patterns over the 4-word event names, e.g. `crm.client.#` or `*.*.created.*` (`*` is exactly one word). */
  bindings: string[];
  /** Applies one event inside the tenant transaction that also records it in the inbox. */
  handle: (event: EventEnvelope, tx: Tx) => Promise<void>;
  /**
   * Applies several new events of one agency at once (one INSERT for all, say); without it they
   * go through `handle` one by one. If it throws, the group is applied again event by event.
   */
  handleMany?: (events: EventEnvelope[], tx: Tx) => Promise<void>;
  prefetch?: number;
  /** Delays before attempts 2, 3, …; after the last one fails the message goes to the dead-letter queue. */
  retryDelaysMs?: number[];
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000];
/** Most messages applied in one transaction: a burst (an import) costs a few round trips per 200 events. */
const MAX_BATCH = 200;
const DEFAULT_PREFETCH = 256;
const ATTEMPT_HEADER = 'x-attempt';

/** The fast way found an event of the group in the inbox already. */
class SeenBefore extends Error {}

/** After a channel closed, an ack cannot go out; the broker redelivers and the inbox absorbs it. */
function ackQuietly(ch: ConfirmChannel, msg: ConsumeMessage) {
  try {
    ch.ack(msg);
  } catch {
    // channel gone: see above
  }
}

/** A quorum queue per delay: replicated like the main queue, so a retry survives a broker node. */
export const retryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}ms.quorum`;
/**
 * The classic retry queues of earlier releases. A queue's type cannot change under its name, so the
 * quorum ones got new names; the old ones drain into the main queue as their messages expire and are
 * deleted, once empty, when a consumer sets up (docs/runbook.md › Retry queues).
 */
export const legacyRetryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}ms`;
export const deadLetterQueueName = (queue: string) => `${queue}.dlq`;

/** The messages of one subscription (a channel and its consumer tag): acks must go back on that channel. */
interface Subscription {
  conn: ChannelModel;
  ch: ConfirmChannel;
  consumerTag: string | null;
  pending: ConsumeMessage[];
  flushTimer: NodeJS.Immediate | null;
}

/**
 * A competing consumer on its own quorum queue: bounded prefetch, messages that arrive together
 * applied in one transaction per agency, manual ack after the handler's transaction commits,
 * exactly-once effect through the inbox table, retry with back-off through per-delay queues that
 * dead-letter back into the main queue, and a dead-letter queue once `retryDelaysMs.length + 1`
 * attempts have failed.
 *
 * It never stays down silently: when the broker closes its channel (a channel error) or cancels its
 * subscription (its queue deleted, say), it declares its queues and subscribes again on the same
 * connection with capped back-off; when the connection goes, BusConnection sets it up again after
 * reconnecting. `check()` tells readiness whether it is consuming right now.
 */
export class Consumer {
  private sub: Subscription | null = null;
  private inFlight = new Set<Promise<void>>();
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Set-ups run one after another, so a reconnect and a resubscribe never open two subscriptions. */
  private setupChain: Promise<void> = Promise.resolve();
  private readonly retryDelays: number[];
  private readonly onConnect = (conn: ChannelModel) => this.setup(conn);

  constructor(
    private readonly bus: BusConnection,
    private readonly db: Db,
    private readonly inbox: { schema: string },
    private readonly spec: ConsumerSpec,
    private readonly logger: Logger,
  ) {
    this.retryDelays = spec.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  /** The queue's name as the spec gives it (without the namespace). */
  get name(): string {
    return this.spec.queue;
  }

  /** Whether a subscription is live: the broker delivers to it right now. */
  get consuming(): boolean {
    return this.sub?.consumerTag != null;
  }

  /** The live subscription's channel, if any (tests provoke channel errors on it). */
  get channel(): ConfirmChannel | null {
    return this.sub?.ch ?? null;
  }

  /** Readiness: throws while the consumer is not subscribed (broker down, or re-subscribing). */
  async check(): Promise<void> {
    if (!this.consuming) throw new Error(this.bus.connected ? 'not consuming; subscribing again' : 'not consuming; broker not connected');
  }

  /** Subscribes (again, after `stop()`: a test pauses a consumer to hold events back). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.bus.onConnect(this.onConnect);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.bus.offConnect(this.onConnect);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.setupChain;
    const sub = this.sub;
    this.sub = null;
    if (sub?.consumerTag) await sub.ch.cancel(sub.consumerTag).catch(() => {});
    if (sub?.pending.length) this.flush(sub);
    await Promise.allSettled([...this.inFlight]);
    if (sub) await sub.ch.close().catch(() => {});
  }

  private get queues() {
    const queue = this.bus.queueName(this.spec.queue);
    return {
      queue,
      dlq: deadLetterQueueName(queue),
      retries: this.retryDelays.map((d) => retryQueueName(queue, d)),
      legacyRetries: this.retryDelays.map((d) => legacyRetryQueueName(queue, d)),
    };
  }

  /** Deletes the queues (tests clean up after themselves); call after stop(). */
  async deleteQueues(conn: ChannelModel): Promise<void> {
    const ch = await conn.createChannel();
    const { queue, dlq, retries } = this.queues;
    for (const q of [queue, dlq, ...retries]) await ch.deleteQueue(q);
    await ch.close();
  }

  private setup(conn: ChannelModel): Promise<void> {
    this.setupChain = this.setupChain.then(() => this.subscribe(conn));
    return this.setupChain;
  }

  private async subscribe(conn: ChannelModel): Promise<void> {
    // Stale: stopped, already subscribed on this connection, or the connection is gone (the next one sets us up).
    if (this.stopped || this.bus.connection !== conn || (this.sub && this.sub.conn === conn)) return;
    try {
      await this.declare(conn);
      this.attempt = 0;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, queue: this.spec.queue }, 'consumer could not subscribe; will retry');
      this.resubscribeLater(conn);
    }
  }

  /** After the broker closed our channel or cancelled us: subscribe again on the same connection, with capped back-off. */
  private resubscribeLater(conn: ChannelModel): void {
    if (this.stopped || this.retryTimer) return;
    const delay = Math.min(100 * 2 ** this.attempt++, 5_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.setup(conn);
    }, delay);
    this.retryTimer.unref();
  }

  private async declare(conn: ChannelModel): Promise<void> {
    const { queue, dlq } = this.queues;
    await this.removeDrainedLegacyQueues(conn);
    const ch = await conn.createConfirmChannel();
    const sub: Subscription = { conn, ch, consumerTag: null, pending: [], flushTimer: null };
    ch.on('error', (err) => this.logger.warn({ err, queue }, 'consumer channel error'));
    ch.on('close', () => {
      if (sub.flushTimer) clearImmediate(sub.flushTimer);
      sub.pending = [];
      if (this.sub !== sub) return;
      this.sub = null;
      // Unacked messages go back to the queue; the next subscription gets them (the inbox absorbs repeats).
      if (!this.stopped) {
        this.logger.warn({ queue }, 'consumer channel closed; subscribing again');
        this.resubscribeLater(conn);
      }
    });
    try {
      const quorum = { 'x-queue-type': 'quorum' };
      await ch.assertQueue(queue, { durable: true, arguments: quorum });
      await ch.assertQueue(dlq, { durable: true, arguments: quorum });
      for (const delay of this.retryDelays) {
        await ch.assertQueue(retryQueueName(queue, delay), {
          durable: true,
          arguments: {
            ...quorum,
            'x-message-ttl': delay,
            'x-dead-letter-exchange': '',
            'x-dead-letter-routing-key': queue,
            // Quorum queues dead-letter at most once unless told otherwise; a retry must not vanish on its way back.
            'x-dead-letter-strategy': 'at-least-once',
            'x-overflow': 'reject-publish',
          },
        });
      }
      for (const key of this.spec.bindings) await ch.bindQueue(queue, this.bus.exchangeName, key);
      await ch.prefetch(this.spec.prefetch ?? DEFAULT_PREFETCH);
      this.sub = sub;
      const { consumerTag } = await ch.consume(queue, (msg) => {
        if (!msg) {
          // basic.cancel from the broker (the queue was deleted, say): closing the channel subscribes again.
          this.logger.warn({ queue }, 'broker cancelled the subscription');
          sub.consumerTag = null;
          void ch.close().catch(() => {});
          return;
        }
        sub.pending.push(msg);
        if (sub.pending.length >= MAX_BATCH) this.flush(sub);
        else sub.flushTimer ??= setImmediate(() => this.flush(sub));
      });
      sub.consumerTag = consumerTag;
      this.logger.info({ queue }, 'consuming');
    } catch (err) {
      await ch.close().catch(() => {});
      throw err;
    }
  }

  /** Deletes the classic retry queues of earlier releases once they are empty (see legacyRetryQueueName). */
  private async removeDrainedLegacyQueues(conn: ChannelModel): Promise<void> {
    for (const name of this.queues.legacyRetries) {
      // A failed delete (not empty) closes its channel: one throwaway channel per queue.
      const ch = await conn.createChannel();
      ch.on('error', () => {});
      try {
        await ch.deleteQueue(name, { ifEmpty: true });
        await ch.close();
      } catch {
        this.logger.info({ queue: name }, 'legacy classic retry queue still holds messages; it drains into the main queue and goes at a later start');
      }
    }
  }

  /**
   * Messages that arrived together are applied together: one transaction per agency for the
   * whole group (inbox rows inserted at once), instead of one per message. Under a burst (an
   * import, say) that is what keeps the consumer ahead; alone, a message is a group of one.
   */
  private flush(sub: Subscription): void {
    if (sub.flushTimer) clearImmediate(sub.flushTimer);
    sub.flushTimer = null;
    const batch = sub.pending.splice(0);
    const work = this.applyBatch(sub.ch, batch)
      .catch((err) => this.logger.error({ err, queue: this.spec.queue }, 'consumer batch failed; messages will be redelivered'))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async applyBatch(ch: ConfirmChannel, batch: ConsumeMessage[]): Promise<void> {
    const byAgency = new Map<string, { msg: ConsumeMessage; envelope: EventEnvelope }[]>();
    for (const msg of batch) {
      let envelope: EventEnvelope;
      try {
        envelope = EventEnvelope.parse(JSON.parse(msg.content.toString('utf8')));
      } catch (err) {
        await this.deadLetter(ch, msg, `malformed message: ${(err as Error).message}`);
        continue;
      }
      const group = byAgency.get(envelope.agencyId) ?? [];
      group.push({ msg, envelope });
      byAgency.set(envelope.agencyId, group);
    }
    const groups = [...byAgency.values()];
    if (groups.length > 1 && (await this.applyAgencies(groups))) {
      for (const group of groups) for (const { msg } of group) ackQuietly(ch, msg);
      return;
    }
    await Promise.all(groups.map((group) => this.applyGroup(ch, group)));
  }

  /**
   * Several agencies' groups in one transaction, each after pinning its agency (statements run one
   * after another, so each sees only its own agency's rows): one commit for a burst that spans
   * many agencies, instead of one each, which is what made such a burst crawl. False if anything
   * failed; everything rolled back, and the groups take the per-agency path with its retries.
   */
  private async applyAgencies(groups: { msg: ConsumeMessage; envelope: EventEnvelope }[][]): Promise<boolean> {
    try {
      await tenantTx(this.db, null, async (tx) => {
        for (const group of groups) {
          const { envelope } = group[0]!;
          await logContext.run({ requestId: envelope.trace.requestId, agencyId: envelope.agencyId }, async () => {
            await tx.pinAgency(envelope.agencyId);
            await this.applyAll(tx, group.map((g) => g.envelope));
          });
        }
      });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * One transaction for the agency's group, all at once: the inbox rows in one statement, then
   * the new events. First the fast way (`applyFresh`), which assumes the events are new, and, if
   * one was seen before, the careful way (`applyAll`). If the group fails, and it is a group of
   * several, it is applied again with a savepoint per event, so a failing handler rolls back only
   * its own event (and its inbox row), which then takes its retry path, while the others commit
   * together. Savepoints cost two round trips an event, so they are kept for the rare group that
   * needs them.
   */
  private async applyGroup(ch: ConfirmChannel, group: { msg: ConsumeMessage; envelope: EventEnvelope }[]): Promise<void> {
    const [first] = group;
    if (!first) return;
    const inTenant = (fn: (tx: TenantTx) => Promise<void>) =>
      logContext.run({ requestId: first.envelope.trace.requestId, agencyId: first.envelope.agencyId }, () => tenantTx(this.db, first.envelope.agencyId, fn));
    const envelopes = group.map((g) => g.envelope);
    // A message delivered twice in one group is a repeat the fast way would trip over every time.
    const repeated = new Set(envelopes.map((e) => e.id)).size !== envelopes.length;
    let failures = new Map<ConsumeMessage, Error>();
    try {
      try {
        if (repeated) throw new SeenBefore();
        await inTenant((tx) => this.applyFresh(tx, envelopes));
      } catch (err) {
        // A repeat the COMMIT found (see applyFresh) fails as the inbox's unique violation.
        if (!(err instanceof SeenBefore) && !isUniqueViolation(err)) throw err;
        await inTenant((tx) => this.applyAll(tx, envelopes));
      }
    } catch (err) {
      failures = group.length === 1 ? new Map([[first.msg, err as Error]]) : await this.applyOneByOne(inTenant, group);
    }
    for (const { msg, envelope } of group) {
      const err = failures.get(msg);
      if (err) await this.retryOrDeadLetter(ch, msg, envelope, err);
      else ackQuietly(ch, msg);
    }
  }

  /**
   * The common case, new events of one agency, in one write: the inbox rows go with a plain INSERT
   * (no ON CONFLICT), sent at once, and the handler's statements queue right behind it instead of
   * waiting for its answer, and the COMMIT behind those (the insert's answer is not awaited
   * either). An event seen before violates the inbox's primary key, which fails the whole
   * transaction, the handler's effects included: the handler or the COMMIT fails with that
   * violation (SeenBefore, or the violation itself: the caller goes the careful way). A replica's
   * upsert, whose answer nobody needs, makes the whole transaction one round trip.
   */
  private async applyFresh(tx: TenantTx, envelopes: EventEnvelope[]): Promise<void> {
    const insert = `insert into "${this.inbox.schema}".inbox (consumer, event_id, agency_id) select $1, e.id, $2 from unnest($3::uuid[]) as e(id)`;
    const recorded: Promise<unknown> = sendNow(tx, insert, [this.spec.queue, envelopes[0]?.agencyId, envelopes.map((e) => e.id)]).then(
      () => null,
      (err: unknown) => err,
    );
    try {
      await this.handleAll(tx, envelopes);
    } catch (err) {
      // The handler's statements fail after a failed insert too: the insert says why.
      if (isUniqueViolation(await recorded)) throw new SeenBefore();
      throw err;
    }
  }

  /** The group again, a savepoint per event; returns the events that failed and why. */
  private async applyOneByOne(
    inTenant: (fn: (tx: TenantTx) => Promise<void>) => Promise<void>,
    group: { msg: ConsumeMessage; envelope: EventEnvelope }[],
  ): Promise<Map<ConsumeMessage, Error>> {
    const failures = new Map<ConsumeMessage, Error>();
    try {
      await inTenant(async (tx) => {
        for (const { msg, envelope } of group) {
          try {
            await tx.transaction((savepoint) => this.applyAll(savepoint, [envelope]));
          } catch (err) {
            failures.set(msg, err as Error);
          }
        }
      });
    } catch (err) {
      // The transaction itself failed (connection lost, commit refused): nothing was applied.
      for (const { msg } of group) failures.set(msg, err as Error);
    }
    return failures;
  }

  /** Records the events in the inbox in one statement and applies those it had not seen. */
  private async applyAll(tx: Tx, envelopes: EventEnvelope[]): Promise<void> {
    const inserted = await tx.execute<{ event_id: string }>(
      sql`insert into ${sql.identifier(this.inbox.schema)}.inbox (consumer, event_id, agency_id)
          select ${this.spec.queue}, e.id, ${envelopes[0]?.agencyId} from unnest(${sql.param(envelopes.map((e) => e.id))}::uuid[]) as e(id)
          on conflict do nothing returning event_id`,
    );
    const fresh = new Set(inserted.map((r) => r.event_id));
    // A message delivered twice in one group is applied once.
    const events = envelopes.filter((e) => fresh.delete(e.id));
    if (events.length === 0) return;
    await this.handleAll(tx, events);
  }

  private async handleAll(tx: Tx, events: EventEnvelope[]): Promise<void> {
    if (this.spec.handleMany) await this.spec.handleMany(events, tx);
    else for (const event of events) await this.spec.handle(event, tx);
  }

  private async retryOrDeadLetter(ch: ConfirmChannel, msg: ConsumeMessage, envelope: EventEnvelope, err: Error) {
    const attempt = Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1);
    // A payload that fails its schema fails the same way on every attempt: no point waiting.
    const delay = err instanceof z.ZodError ? undefined : this.retryDelays[attempt - 1];
    if (delay === undefined) {
      this.logger.error({ err, event: envelope.name, eventId: envelope.id, attempt }, 'event failed for good; dead-lettered');
      await this.deadLetter(ch, msg, err.message);
      return;
    }
    this.logger.warn({ err: err.message, event: envelope.name, eventId: envelope.id, attempt, delay }, 'event failed; will retry');
    await this.republish(ch, msg, retryQueueName(this.queues.queue, delay), { [ATTEMPT_HEADER]: attempt + 1 });
  }

  private deadLetter(ch: ConfirmChannel, msg: ConsumeMessage, reason: string) {
    return this.republish(ch, msg, this.queues.dlq, { 'x-error': reason.slice(0, 1000) });
  }

  /** Moves the message to another queue: published with confirm first, then acked, so it is never lost. */
  private async republish(ch: ConfirmChannel, msg: ConsumeMessage, queue: string, headers: Record<string, unknown>) {
    try {
      ch.sendToQueue(queue, msg.content, { ...msg.properties, persistent: true, headers: { ...msg.properties.headers, ...headers } });
      await this.bus.waitForConfirms(ch);
      ch.ack(msg);
    } catch (err) {
      // The channel is gone, or its confirm never came: the unacked message is redelivered once the
      // channel closes (closing it subscribes again), and may then sit in two queues; the inbox
      // applies it once.
      this.logger.warn({ err: (err as Error).message, queue }, 'could not move message');
      if (err instanceof ConfirmTimeoutError) void ch.close().catch(() => {});
    }
  }
}
