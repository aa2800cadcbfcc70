import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { anyOf } from '../db/sql-params.js';
import type { Tx } from '../db/database.js';
import type { AttachmentRow, AttachmentsTable } from './attachment-table.js';

export interface AttachmentPosition {
  createdAt: string;
  id: string;
}

/** Every SQL statement on a service's `attachments` table (the kit's, shared by the services that have one). */
export class AttachmentRepository {
  constructor(private readonly table: AttachmentsTable) {}

  /** A parent's live attachments, newest first (keyset on created_at, id). */
  async page(tx: Tx, parentKind: AttachmentRow['parentKind'], parentId: string, after: AttachmentPosition | null, maxRows: number): Promise<{ rows: AttachmentRow[]; total: number }> {
    const t = this.table;
    const where = and(eq(t.parentKind, parentKind), eq(t.parentId, parentId), isNull(t.deletedAt));
    const pageWhere = after ? and(where, sql`(${t.createdAt}, ${t.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`) : where;
    const rows = await tx.select().from(t).where(pageWhere).orderBy(desc(t.createdAt), desc(t.id)).limit(maxRows);
    const [totalRow] = await tx.select({ n: count() }).from(t).where(where);
    return { rows, total: totalRow?.n ?? 0 };
  }

  async find(tx: Tx, id: string): Promise<AttachmentRow | undefined> {
    const [row] = await tx.select().from(this.table).where(and(eq(this.table.id, id), isNull(this.table.deletedAt)));
    return row;
  }

  async insert(tx: Tx, values: Omit<AttachmentRow, 'createdAt' | 'deletedAt'>): Promise<AttachmentRow> {
    const [row] = await tx.insert(this.table).values(values).returning();
    if (!row) throw new Error('insert returned no row');
    return row;
  }

  async softDelete(tx: Tx, id: string): Promise<AttachmentRow | undefined> {
    const [row] = await tx
      .update(this.table)
      .set({ deletedAt: sql`now()` })
      .where(and(eq(this.table.id, id), isNull(this.table.deletedAt)))
      .returning();
    return row;
  }

  /** The parents' live attachments go with them (a deleted client, project or task); returns how many. */
  async softDeleteOf(tx: Tx, parentKind: AttachmentRow['parentKind'], parentIds: string[]): Promise<number> {
    if (parentIds.length === 0) return 0;
    const rows = await tx
      .update(this.table)
      .set({ deletedAt: sql`now()` })
      .where(and(eq(this.table.parentKind, parentKind), anyOf(this.table.parentId, parentIds), isNull(this.table.deletedAt)))
      .returning({ id: this.table.id });
    return rows.length;
  }

  /** Bytes the agency's live attachments take in this service. */
  async usage(tx: Tx): Promise<number> {
    const [row] = await tx.select({ n: sql<string>`coalesce(sum(${this.table.size}), 0)` }).from(this.table).where(isNull(this.table.deletedAt));
    return Number(row?.n ?? 0);
  }

  /**
   * Serialises the changes of one agency's usage (a transaction-scoped advisory lock keyed by the
   * agency): two uploads that each fit cannot together pass the quota, and the usage versions
   * follow the order of the changes.
   */
  async lockQuota(tx: Tx, agencyId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`attachments-quota:${agencyId}`}, 0))`);
  }
}
