import type { AttachmentOwner } from '@atelier/contracts';
import { eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import type { AttachmentUsageRow, AttachmentUsageTable } from './attachment-usage-table.js';

/** What a usage row says: an owner's bytes at a version. */
export interface UsageSnapshot {
  owner: AttachmentOwner;
  bytes: number;
  version: number;
}

/** Every SQL statement on a service's `attachment_usage` table (row-level security picks the agency). */
export class AttachmentUsageRepository {
  constructor(private readonly table: AttachmentUsageTable) {}

  /** Bytes the other owners last said they hold for the agency. */
  async othersBytes(tx: Tx, owner: AttachmentOwner): Promise<number> {
    const [row] = await tx.select({ n: sql<string>`coalesce(sum(${this.table.bytes}), 0)` }).from(this.table).where(ne(this.table.owner, owner));
    return Number(row?.n ?? 0);
  }

  async find(tx: Tx, owner: AttachmentOwner): Promise<AttachmentUsageRow | undefined> {
    const [row] = await tx.select().from(this.table).where(eq(this.table.owner, owner));
    return row;
  }

  /** The service's own row: the bytes it now holds, one version on (the first is version 1). */
  async saveOwn(tx: Tx, agencyId: string, owner: AttachmentOwner, bytes: number): Promise<AttachmentUsageRow> {
    const t = this.table;
    const [row] = await tx
      .insert(t)
      .values({ agencyId, owner, bytes, version: 1 })
      .onConflictDoUpdate({ target: [t.agencyId, t.owner], set: { bytes, version: sql`${t.version} + 1`, updatedAt: sql`now()` } })
      .returning();
    if (!row) throw new Error('usage upsert returned no row');
    return row;
  }

  /** Other owners' snapshots (one per owner): a row changes only for a higher version, so duplicates and old events change nothing. */
  async applyNewer(tx: Tx, agencyId: string, snapshots: UsageSnapshot[]): Promise<void> {
    if (snapshots.length === 0) return;
    const t = this.table;
    await tx
      .insert(t)
      .values(snapshots.map((s) => ({ agencyId, owner: s.owner, bytes: s.bytes, version: s.version })))
      .onConflictDoUpdate({
        target: [t.agencyId, t.owner],
        set: { bytes: sql`excluded.bytes`, version: sql`excluded.version`, updatedAt: sql`now()` },
        setWhere: sql`${t.version} < excluded.version`,
      });
  }
}
