import { EventEnvelope } from '@atelier/contracts';
import { z } from 'zod';
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { withTenant, type Db, type Tx } from '../db/database.js';
import { logContext } from '../logging/logger.js';
import type { BusConnection } from './connection.js';

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

/** After a channel closed, an ack cannot go out; the broker redelivers and the inbox absorbs it. */
function ackQuietly(ch: ConfirmChannel, msg: ConsumeMessage) {
  try {
    ch.ack(msg);
  } catch {
    // channel gone: see above
  }
}

export const retryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}ms`;
export const deadLetterQueueName = (queue: string) => `${queue}.dlq`;

/**
 * A competing consumer on its own quorum queue: bounded prefetch, messages that arrive together
 * applied in one transaction per agency (a savepoint each), manual ack after the handler's
 * transaction commits, exactly-once effect through the inbox table, retry with back-off through
 * per-delay queues that dead-letter back into the main queue, and a dead-letter queue once
 * `retryDelaysMs.length + 1` attempts have failed.
 */
export class Consumer {
  private channel: ConfirmChannel | null = null;
  private consumerTag: string | null = null;
  private inFlight = new Set<Promise<void>>();
  private pending: ConsumeMessage[] = [];
  private flushTimer: NodeJS.Immediate | null = null;
  private stopped = false;
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

  async start(): Promise<void> {
    await this.bus.onConnect(this.onConnect);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.bus.offConnect(this.onConnect);
    const ch = this.channel;
    if (ch && this.consumerTag) await ch.cancel(this.consumerTag).catch(() => {});
    if (ch && this.pending.length) this.flush(ch);
    await Promise.allSettled([...this.inFlight]);
    if (ch) await ch.close().catch(() => {});
    this.channel = null;
  }

  private get queues() {
    const queue = this.bus.queueName(this.spec.queue);
    return { queue, dlq: deadLetterQueueName(queue), retries: this.retryDelays.map((d) => retryQueueName(queue, d)) };
  }

  /** Deletes the queues (tests clean up after themselves); call after stop(). */
  async deleteQueues(conn: ChannelModel): Promise<void> {
    const ch = await conn.createChannel();
    const { queue, dlq, retries } = this.queues;
    for (const q of [queue, dlq, ...retries]) await ch.deleteQueue(q);
    await ch.close();
  }

  private async setup(conn: ChannelModel): Promise<void> {
    if (this.stopped) return;
    const { queue, dlq } = this.queues;
    const ch = await conn.createConfirmChannel();
    ch.on('error', (err) => this.logger.warn({ err, queue }, 'consumer channel error'));
    ch.on('close', () => {
      if (this.channel === ch) this.channel = null;
    });
    const quorum = { 'x-queue-type': 'quorum' };
    await ch.assertQueue(queue, { durable: true, arguments: quorum });
    await ch.assertQueue(dlq, { durable: true, arguments: quorum });
    for (const delay of this.retryDelays) {
      await ch.assertQueue(retryQueueName(queue, delay), {
        durable: true,
        arguments: { 'x-message-ttl': delay, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      });
    }
    for (const key of this.spec.bindings) await ch.bindQueue(queue, this.bus.exchangeName, key);
    await ch.prefetch(this.spec.prefetch ?? DEFAULT_PREFETCH);
    this.channel = ch;
    // Unacked messages of a closed channel come again on this one.
    this.pending = [];
    const { consumerTag } = await ch.consume(queue, (msg) => {
      if (!msg) return;
      this.pending.push(msg);
      if (this.pending.length >= MAX_BATCH) this.flush(ch);
      else this.flushTimer ??= setImmediate(() => this.flush(ch));
    });
    this.consumerTag = consumerTag;
  }

  /**
   * Messages that arrived together are applied together: one transaction per agency for the
   * whole group (inbox rows inserted at once), instead of one per message. Under a burst (an
   * import, say) that is what keeps the consumer ahead; alone, a message is a group of one.
   */
  private flush(ch: ConfirmChannel): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = null;
    const batch = this.pending.splice(0);
    const work = this.applyBatch(ch, batch)
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
    await Promise.all([...byAgency.values()].map((group) => this.applyGroup(ch, group)));
  }

  /**
   * One transaction for the agency's group, all at once: the inbox rows in one statement, then
   * the new events. If that fails for a group of several, they are applied again with a
   * savepoint per event, so a failing handler rolls back only its own event (and its inbox row),
   * which then takes its retry path, while the others commit together. Savepoints cost two round
   * trips an event, so they are kept for the rare group that needs them.
   */
  private async applyGroup(ch: ConfirmChannel, group: { msg: ConsumeMessage; envelope: EventEnvelope }[]): Promise<void> {
    const [first] = group;
    if (!first) return;
    const inTenant = (fn: (tx: Tx) => Promise<void>) =>
      logContext.run({ requestId: first.envelope.trace.requestId, agencyId: first.envelope.agencyId }, () => withTenant(this.db, first.envelope.agencyId, fn));
    let failures = new Map<ConsumeMessage, Error>();
    try {
      await inTenant((tx) => this.applyAll(tx, group.map((g) => g.envelope)));
    } catch (err) {
      failures = group.length === 1 ? new Map([[first.msg, err as Error]]) : await this.applyOneByOne(inTenant, group);
    }
    for (const { msg, envelope } of group) {
      const err = failures.get(msg);
      if (err) await this.retryOrDeadLetter(ch, msg, envelope, err);
      else ackQuietly(ch, msg);
    }
  }

  /** The group again, a savepoint per event; returns the events that failed and why. */
  private async applyOneByOne(
    inTenant: (fn: (tx: Tx) => Promise<void>) => Promise<void>,
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
      await ch.waitForConfirms();
      ch.ack(msg);
    } catch (err) {
      // The channel is gone: the unacked message is redelivered to some consumer later.
      this.logger.warn({ err: (err as Error).message, queue }, 'could not move message');
    }
  }
}
