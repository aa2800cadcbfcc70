import type { Db } from '../db/database.js';
import { tenantTx, type TenantTx } from '../db/tenant-tx.js';

/**
 * One kind of entity a producer can republish (events.md › Resync): its current snapshots,
 * tombstones included, written as events through the outbox in the agency's transaction.
 * Consumers apply them like any update; versions make a resync safe to run at any time.
 */
export interface ResyncSource {
  /** What it republishes, for the report: "clients". */
  entity: string;
  /** Writes the agency's snapshots (in batches, as bulk events); returns how many entities. */
  republish(tx: TenantTx, agencyId: string): Promise<number>;
}

/** Entities per resync event: a few hundred kB per message at most. */
export const RESYNC_BATCH = 500;
const BEFORE_ALL_IDS = '00000000-0000-0000-0000-000000000000';

/** Pages through an agency's rows by id and writes one bulk event per page; returns how many rows. */
export async function republishPages<R extends { id: string }>(
  tx: TenantTx,
  page: (tx: TenantTx, afterId: string, limit: number) => Promise<R[]>,
  write: (rows: R[]) => Promise<unknown>,
): Promise<number> {
  let count = 0;
  for (let after = BEFORE_ALL_IDS; ; ) {
    const rows = await page(tx, after, RESYNC_BATCH);
    if (rows.length === 0) return count;
    await write(rows);
    count += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}

export interface ResyncReport {
  agencyId: string;
  /** Entities republished, per source. */
  counts: Record<string, number>;
}

/**
 * Republishes every source's snapshots for each agency, one tenant transaction per agency, so
 * row-level security holds as for any write and a failure leaves no half-written agency.
 */
export async function resync(db: Db, sources: ResyncSource[], agencyIds: string[]): Promise<ResyncReport[]> {
  const reports: ResyncReport[] = [];
  for (const agencyId of agencyIds) {
    const counts = await tenantTx(db, agencyId, async (tx) => {
      const out: Record<string, number> = {};
      for (const source of sources) out[source.entity] = await source.republish(tx, agencyId);
      return out;
    });
    reports.push({ agencyId, counts });
  }
  return reports;
}
