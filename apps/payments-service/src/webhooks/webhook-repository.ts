import { and, asc, desc, eq, gt, lt, or, sql } from 'drizzle-orm';
import { sendUnawaited, type Tx } from '@atelier/platform';
import { webhookEvents } from '../db/schema.js';

export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type LedgerStatus = 'processed' | 'ignored' | 'failed';

export interface LedgerEntry {
  agencyId: string;
  stripeEventId: string;
  type: string;
  stripeCreatedAt: Date;
  payload: unknown;
}

/** What the intake decides by: not the payload, which the ledger keeps for replay (kilobytes to read back and parse). */
export type LedgerClaim = Pick<WebhookEventRow, 'id' | 'status' | 'attempts'>;
const claimColumns = { id: webhookEvents.id, status: webhookEvents.status, attempts: webhookEvents.attempts };

export async function selectLedgerRow(tx: Tx, stripeEventId: string, lock = false): Promise<LedgerClaim | undefined> {
  const q = tx.select(claimColumns).from(webhookEvents).where(eq(webhookEvents.stripeEventId, stripeEventId));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function selectLedgerRowById(tx: Tx, id: string): Promise<WebhookEventRow | undefined> {
  const [row] = await tx.select().from(webhookEvents).where(eq(webhookEvents.id, id));
  return row;
}

/**
 * The event's row, written now if it is new (`fresh`); a delivery that raced this one waits on
 * the unique index and then finds the row the other committed. `status` is what a fresh row is
 * written with: an event known to be ignored is recorded so at once, with no update after.
 */
export async function claimLedgerRow(tx: Tx, e: LedgerEntry, status: LedgerStatus = 'processed'): Promise<{ row: LedgerClaim; fresh: boolean }> {
  const [inserted] = await tx
    .insert(webhookEvents)
    .values({ agencyId: e.agencyId, stripeEventId: e.stripeEventId, type: e.type, stripeCreatedAt: e.stripeCreatedAt, status, payload: e.payload })
    .onConflictDoNothing()
    .returning(claimColumns);
  if (inserted) return { row: inserted, fresh: true };
  const row = await selectLedgerRow(tx, e.stripeEventId, true);
  if (!row) throw new Error(`ledger row of ${e.stripeEventId} belongs to another agency`);
  return { row, fresh: false };
}

/**
 * An event this service does not act on, recorded as `ignored` in one statement whose answer is
 * not needed (it goes out with the COMMIT): a row written earlier stays as it is, unless its last
 * attempt failed, which this one then ends.
 */
export function recordIgnoredEvent(tx: Tx, e: LedgerEntry): Promise<void> {
  return sendUnawaited(
    tx,
    tx
      .insert(webhookEvents)
      .values({ agencyId: e.agencyId, stripeEventId: e.stripeEventId, type: e.type, stripeCreatedAt: e.stripeCreatedAt, status: 'ignored', payload: e.payload })
      .onConflictDoUpdate({
        target: webhookEvents.stripeEventId,
        set: { status: 'ignored', attempts: sql`${webhookEvents.attempts} + 1`, error: null },
        setWhere: sql`${webhookEvents.status} = 'failed'`,
      }),
  );
}

export async function finishLedgerRow(tx: Tx, id: string, status: LedgerStatus, attempts: number): Promise<void> {
  await tx.update(webhookEvents).set({ status, attempts, error: null }).where(eq(webhookEvents.id, id));
}

/** After a failed attempt (its transaction rolled back): the row says so, for replay and for the ledger's readers. */
export async function recordLedgerFailure(tx: Tx, e: LedgerEntry, error: string): Promise<void> {
  await tx
    .insert(webhookEvents)
    .values({ agencyId: e.agencyId, stripeEventId: e.stripeEventId, type: e.type, stripeCreatedAt: e.stripeCreatedAt, status: 'failed', error, payload: e.payload })
    .onConflictDoUpdate({
      target: webhookEvents.stripeEventId,
      set: { attempts: sql`${webhookEvents.attempts} + 1`, error, status: sql`case when ${webhookEvents.status} = 'failed' then 'failed' else ${webhookEvents.status} end` },
    });
}

export interface LedgerFilter {
  status?: string;
  type?: string;
  limit: number;
  order: 'asc' | 'desc';
  after?: { receivedAt: Date; id: string };
}

export async function selectLedger(tx: Tx, f: LedgerFilter): Promise<{ rows: WebhookEventRow[]; total: number }> {
  const where = and(f.status ? eq(webhookEvents.status, f.status) : undefined, f.type ? eq(webhookEvents.type, f.type) : undefined);
  const beyond = f.order === 'asc' ? gt : lt;
  const dir = f.order === 'asc' ? asc : desc;
  const page = and(where, f.after ? or(beyond(webhookEvents.receivedAt, f.after.receivedAt), and(eq(webhookEvents.receivedAt, f.after.receivedAt), beyond(webhookEvents.id, f.after.id))) : undefined);
  const rows = await tx.select().from(webhookEvents).where(page).orderBy(dir(webhookEvents.receivedAt), dir(webhookEvents.id)).limit(f.limit + 1);
  const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(webhookEvents).where(where);
  return { rows, total: count?.n ?? 0 };
}
