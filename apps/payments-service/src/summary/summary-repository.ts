import { and, asc, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { paymentRows } from '../db/schema.js';

export interface CurrencyTotals {
  currency: string;
  received: string;
  refunded: string;
  count: number;
}

/**
 * Per currency, the payments paid from `from` to `to` (inclusive) that succeeded, refunded ones
 * included: numeric sums as text, so no amount passes through a float. A payment without a
 * paid-on day counts on the (UTC) day it was recorded.
 */
export async function paymentTotals(tx: Tx, from: string, to: string): Promise<CurrencyTotals[]> {
  const day = sql`coalesce(${paymentRows.paidOn}, (${paymentRows.createdAt} at time zone 'UTC')::date)`;
  return tx
    .select({
      currency: paymentRows.currency,
      received: sql<string>`sum(${paymentRows.amount})::text`,
      refunded: sql<string>`sum(${paymentRows.amountRefunded})::text`,
      count: sql<number>`count(*)::int`,
    })
    .from(paymentRows)
    .where(and(inArray(paymentRows.status, ['succeeded', 'partially_refunded', 'refunded']), sql`${day} between ${from}::date and ${to}::date`))
    .groupBy(paymentRows.currency)
    .orderBy(asc(paymentRows.currency));
}
