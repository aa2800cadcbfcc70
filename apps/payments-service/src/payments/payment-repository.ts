import { and, asc, desc, eq, getTableColumns, gt, ilike, lt, or, sql } from 'drizzle-orm';
import { anyOf, type Tx } from '@atelier/platform';
import { invoices, paymentRows, refunds } from '../db/schema.js';

export type PaymentRow = typeof paymentRows.$inferSelect;
export type NewPayment = typeof paymentRows.$inferInsert;

export async function selectPayment(tx: Tx, id: string, lock = false): Promise<PaymentRow | undefined> {
  const q = tx.select().from(paymentRows).where(eq(paymentRows.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function selectPaymentByIntent(tx: Tx, intentId: string): Promise<PaymentRow | undefined> {
  const [row] = await tx.select().from(paymentRows).where(eq(paymentRows.stripePaymentIntentId, intentId)).for('update');
  return row;
}

/** Inserts the payment of a PaymentIntent unless another delivery made it first (then nothing). */
export async function insertPayment(tx: Tx, row: NewPayment): Promise<PaymentRow | undefined> {
  const [inserted] = await tx.insert(paymentRows).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updatePayment(tx: Tx, id: string, set: Partial<NewPayment>): Promise<PaymentRow> {
  const [row] = await tx
    .update(paymentRows)
    .set({ ...set, version: sql`${paymentRows.version} + 1`, updatedAt: sql`now()` })
    .where(eq(paymentRows.id, id))
    .returning();
  return row!;
}

/**
 * What the invoice's payments hold: the money kept (succeeded less refunded) and what is still
 * in flight (pending), each a decimal string; `except` leaves one payment out.
 */
export async function invoicePaymentSums(tx: Tx, invoiceId: string, except?: string): Promise<{ kept: string; pending: string }> {
  const [row] = await tx
    .select({
      kept: sql<string>`coalesce(sum(${paymentRows.amount} - ${paymentRows.amountRefunded}) filter (where ${paymentRows.status} in ('succeeded', 'partially_refunded', 'refunded')), 0)::text`,
      pending: sql<string>`coalesce(sum(${paymentRows.amount}) filter (where ${paymentRows.status} = 'pending'), 0)::text`,
    })
    .from(paymentRows)
    .where(and(eq(paymentRows.invoiceId, invoiceId), except ? sql`${paymentRows.id} <> ${except}` : undefined));
  return row ?? { kept: '0', pending: '0' };
}

export interface PaymentFilter {
  invoiceId?: string;
  status?: string;
  method?: string;
  /** In part, in the invoice's number or the payment's reference. */
  search?: string;
  limit: number;
  order: 'asc' | 'desc';
  after?: { createdAt: Date; id: string };
}

export type PaymentListRow = PaymentRow & { invoiceNumber: string | null };

/** `%`, `_` and `\` of a search are matched as themselves. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function selectPayments(tx: Tx, f: PaymentFilter): Promise<{ rows: PaymentListRow[]; total: number }> {
  const where = and(
    f.invoiceId ? eq(paymentRows.invoiceId, f.invoiceId) : undefined,
    f.status ? eq(paymentRows.status, f.status) : undefined,
    f.method ? eq(paymentRows.method, f.method) : undefined,
    f.search ? or(ilike(invoices.number, likePattern(f.search)), ilike(paymentRows.reference, likePattern(f.search))) : undefined,
  );
  const beyond = f.order === 'asc' ? gt : lt;
  const dir = f.order === 'asc' ? asc : desc;
  const page = and(where, f.after ? or(beyond(paymentRows.createdAt, f.after.createdAt), and(eq(paymentRows.createdAt, f.after.createdAt), beyond(paymentRows.id, f.after.id))) : undefined);
  // The replica's number for each row: the list names the invoice without asking billing.
  const rows = await tx
    .select({ ...getTableColumns(paymentRows), invoiceNumber: invoices.number })
    .from(paymentRows)
    .leftJoin(invoices, eq(invoices.id, paymentRows.invoiceId))
    .where(page)
    .orderBy(dir(paymentRows.createdAt), dir(paymentRows.id))
    .limit(f.limit + 1);
  const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(paymentRows).leftJoin(invoices, eq(invoices.id, paymentRows.invoiceId)).where(where);
  return { rows, total: count?.n ?? 0 };
}

export type RefundRow = typeof refunds.$inferSelect;

/** A refund Stripe told of (by its id) or one recorded by hand; Stripe's newer status wins. */
export async function upsertRefund(tx: Tx, row: typeof refunds.$inferInsert): Promise<void> {
  if (!row.stripeRefundId) {
    await tx.insert(refunds).values(row);
    return;
  }
  await tx
    .insert(refunds)
    .values(row)
    .onConflictDoUpdate({ target: refunds.stripeRefundId, set: { status: sql`excluded.status`, amount: sql`excluded.amount`, updatedAt: sql`now()` } });
}

export async function selectRefunds(tx: Tx, paymentIds: string[]): Promise<RefundRow[]> {
  if (paymentIds.length === 0) return [];
  return tx.select().from(refunds).where(anyOf(refunds.paymentId, paymentIds));
}
