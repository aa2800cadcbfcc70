import { ATTACHMENT_OWNERS, AttachmentUsagePayload, type AttachmentOwner, type EventEnvelope, type EventName } from '@atelier/contracts';
import type { ConsumerSpec } from '../bus/consumer.js';
import { writeEvents } from '../bus/outbox-writer.js';
import type { Tx } from '../db/database.js';
import type { outboxTable } from '../db/messaging-tables.js';
import { newestPerId } from '../replica/replica-consumer.js';
import type { ResyncSource } from '../replica/resync.js';
import { AttachmentRepository } from './attachment-repository.js';
import type { AttachmentsTable } from './attachment-table.js';
import { AttachmentUsageRepository, type UsageSnapshot } from './attachment-usage-repository.js';
import type { AttachmentUsageTable } from './attachment-usage-table.js';

export interface AttachmentUsageSpec {
  owner: AttachmentOwner;
  attachments: AttachmentsTable;
  usage: AttachmentUsageTable;
  outbox: ReturnType<typeof outboxTable>;
}

type UsageEventName = Extract<EventName, `${string}.attachment.usage.v1`>;
const usageEvent = (owner: AttachmentOwner) => `${owner}.attachment.usage.v1` as UsageEventName;

/**
 * One quota per agency across the services that keep attachments. Each owner counts its own live
 * attachments exactly (under the agency's quota lock) and learns the others' from their
 * `<owner>.attachment.usage.v1` snapshots, so the check is exact for its own files and eventually
 * consistent for the others': two uploads to two services in the same instant can together pass
 * the quota by at most what one of them adds before the other's event arrives.
 */
export class AttachmentUsage {
  readonly owner: AttachmentOwner;
  private readonly attachments: AttachmentRepository;
  private readonly repo: AttachmentUsageRepository;

  constructor(private readonly spec: AttachmentUsageSpec) {
    this.owner = spec.owner;
    this.attachments = new AttachmentRepository(spec.attachments);
    this.repo = new AttachmentUsageRepository(spec.usage);
  }

  /** Serialises every change of the agency's usage in this service (the kit's advisory lock). */
  lock(tx: Tx, agencyId: string): Promise<void> {
    return this.attachments.lockQuota(tx, agencyId);
  }

  /** The agency's usage as this service knows it: its own live attachments and the other owners' last snapshots. */
  async used(tx: Tx): Promise<number> {
    return (await this.attachments.usage(tx)) + (await this.repo.othersBytes(tx, this.owner));
  }

  /**
   * After a change of the service's attachments, under the quota lock: its own row takes the bytes
   * of its live attachments at the next version, and the snapshot goes out through the outbox.
   */
  async publish(tx: Tx, agencyId: string, actorId: string | null): Promise<void> {
    const row = await this.repo.saveOwn(tx, agencyId, this.owner, await this.attachments.usage(tx));
    await this.write(tx, agencyId, actorId, row);
  }

  /**
   * Resync: the service's own snapshot again, at the version it has (consumers that hold it change
   * nothing). An agency whose files predate the usage table gets its first row here.
   */
  async republish(tx: Tx, agencyId: string): Promise<number> {
    await this.lock(tx, agencyId);
    const held = await this.repo.find(tx, this.owner);
    if (held) {
      await this.write(tx, agencyId, null, held);
      return 1;
    }
    if ((await this.attachments.usage(tx)) === 0) return 0;
    await this.publish(tx, agencyId, null);
    return 1;
  }

  private async write(tx: Tx, agencyId: string, actorId: string | null, row: UsageSnapshot): Promise<void> {
    await writeEvents(tx, this.spec.outbox, [{ name: usageEvent(this.owner), agencyId, actorId, payload: { owner: this.owner, bytes: row.bytes, version: row.version } }]);
  }

  /** The other owners' snapshots into this service's usage table, newest version winning. */
  async apply(tx: Tx, events: EventEnvelope[]): Promise<void> {
    const agencyId = events[0]?.agencyId;
    if (agencyId === undefined) return;
    // A malformed payload throws: the retry and dead-letter path, as for any replica.
    const snapshots = events.map((e) => AttachmentUsagePayload.parse(e.payload)).filter((p) => p.owner !== this.owner);
    const newest = newestPerId(snapshots.map((s) => ({ ...s, id: s.owner })));
    await this.repo.applyNewer(
      tx,
      agencyId,
      newest.map(({ owner, bytes, version }) => ({ owner, bytes, version })),
    );
  }

  /** `<owner>.attachment-usage`: every other owner's usage events. */
  consumer(): ConsumerSpec {
    const others = (Object.keys(ATTACHMENT_OWNERS) as AttachmentOwner[]).filter((o) => o !== this.owner);
    return {
      queue: `${this.owner}.attachment-usage`,
      bindings: others.map(usageEvent),
      handle: (event, tx) => this.apply(tx, [event]),
      // The kit hands over events of one agency at a time.
      handleMany: (events, tx) => this.apply(tx, events),
    };
  }

  /** The resync source that republishes the agency's usage snapshot. */
  resyncSource(): ResyncSource {
    return { entity: 'attachmentUsage', republish: (tx, agencyId) => this.republish(tx, agencyId) };
  }
}
