import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { invoicePayments } from '../db/schema.js';

export type InvoicePaymentRow = typeof invoicePayments.$inferSelect;
export type InvoicePaymentInsert = typeof invoicePayments.$inferInsert;

/** The payment as payments last published it: a newer version replaces the row, an older or equal one (a redelivery, a late arrival) is ignored. Whether it changed anything. */
export async function upsertPayment(tx: Tx, row: InvoicePaymentInsert): Promise<boolean> {
  const saved = await tx
    .insert(invoicePayments)
    .values(row)
    .onConflictDoUpdate({
      target: invoicePayments.paymentId,
      set: {
        invoiceId: sql`excluded.invoice_id`,
        amount: sql`excluded.amount`,
        amountRefunded: sql`excluded.amount_refunded`,
        currency: sql`excluded.currency`,
        status: sql`excluded.status`,
        method: sql`excluded.method`,
        paidOn: sql`excluded.paid_on`,
        version: sql`excluded.version`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${invoicePayments.version} < excluded.version`,
    })
    .returning({ id: invoicePayments.paymentId });
  return saved.length > 0;
}

/** What stays paid on the invoice: the amount less refunds of every payment that succeeded, in the invoice's currency. */
export async function selectNetPaid(tx: Tx, invoiceId: string, currency: string): Promise<string> {
  const [row] = await tx
    .select({ paid: sql<string>`coalesce(sum(${invoicePayments.amount} - ${invoicePayments.amountRefunded}), 0)::text` })
    .from(invoicePayments)
    .where(and(eq(invoicePayments.invoiceId, invoiceId), eq(invoicePayments.currency, currency), inArray(invoicePayments.status, ['succeeded', 'partially_refunded', 'refunded'])));
  return row?.paid ?? '0';
}
