import type { Logger } from 'pino';
import type { Sql } from '../db/database.js';
import { outboxChannel } from '../db/kit-migrations.js';
import { pipelinedTransaction } from '../db/transaction.js';
import type { BusConnection } from './connection.js';

interface OutboxRow {
  id: string;
  name: string;
  /** The envelope as Postgres prints it: published as is, never parsed and serialised again. */
  envelope: string;
  occurredAt: string;
}

export interface RelayOptions {
  sql: Sql;
  schema: string;
  bus: BusConnection;
  logger: Logger;
  batchSize?: number;
  /** Safety net for a missed NOTIFY or a broker that was down. */
  pollMs?: number;
}

/**
 * Publishes committed outbox rows. Woken by NOTIFY on insert, and by a slow poll; each batch is
 * claimed with SKIP LOCKED (so several replicas share the work), published as persistent messages
 * with publisher confirms, and marked published in the same transaction. If the broker is down the
 * transaction rolls back and the rows wait for the next attempt: nothing committed is lost.
 */
export class OutboxRelay {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly onBusConnect = async () => this.wake();

  constructor(private readonly o: RelayOptions) {
    this.batchSize = o.batchSize ?? 200;
    this.pollMs = o.pollMs ?? 2_000;
  }

  async start(): Promise<void> {
    const listener = await this.o.sql.listen(outboxChannel(this.o.schema), () => this.wake());
    this.unlisten = listener.unlisten;
    await this.o.bus.onConnect(this.onBusConnect);
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Publishes everything pending now; used at shutdown and by tests. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.o.bus.connected) await this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.o.bus.offConnect(this.onBusConnect);
    await this.unlisten?.().catch(() => {});
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    if (!this.o.bus.connected) return;
    try {
      while ((await this.publishBatch()) === this.batchSize && !this.stopped);
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, 'outbox relay: publish failed; will retry');
      // Wakes that came while this attempt failed do not retry at once: the next try is the poll's
      // (or a new row's), so a silent broker is not asked back to back with a claim always open.
      this.again = false;
    }
  }

  private async publishBatch(): Promise<number> {
    const s = this.o.schema;
    // BEGIN goes out with the claim: one round trip fewer per batch.
    return pipelinedTransaction(this.o.sql, '', async (tx) => {
      const rows = await tx.unsafe<OutboxRow[]>(
        `select id, name, envelope::text as envelope, envelope->>'occurredAt' as "occurredAt" from "${s}".outbox_claim($1)`,
        [this.batchSize],
        // Named: postgres.js sends an unnamed statement with parameters in two round trips.
        { prepare: true },
      );
      if (rows.length === 0) return 0;
      const channel = await this.o.bus.confirmChannel();
      for (const row of rows) {
        channel.publish(this.o.bus.exchangeName, row.name, Buffer.from(row.envelope), {
          persistent: true,
          contentType: 'application/json',
          messageId: row.id,
          type: row.name,
          timestamp: Math.floor(Date.parse(row.occurredAt) / 1000),
        });
      }
      await this.o.bus.waitForConfirms(channel);
      // Not awaited: the COMMIT goes out in the same write. If the mark fails, the COMMIT only
      // rolls back (the rows stay unpublished and go out again: at least once), and the
      // transaction fails with the mark's error.
      void tx.unsafe(`select "${s}".outbox_mark_published($1::uuid[])`, [rows.map((r) => r.id)], { prepare: true }).execute();
      return rows.length;
    });
  }
}
