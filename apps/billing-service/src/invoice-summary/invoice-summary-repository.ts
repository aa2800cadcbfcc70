import { and, count, eq, gte, ilike, lte, or, sql, sum, type SQL } from 'drizzle-orm';
import type { InvoiceSummaryQuery } from '@atelier/contracts';
import type { Tx } from '@atelier/platform';
import { clients, invoices } from '../db/schema.js';

export interface SumRow {
  status: string;
  currency: string;
  n: number;
  total: string | null;
  amountDue: string | null;
  amountPaid: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The invoice list's filters (invoice-repository `selectInvoicePage`, without status): the tabs
 * must count what each tab lists. The summary test compares both for every filter.
 */
function listFilter(q: Omit<InvoiceSummaryQuery, 'paidSince'>): SQL | undefined {
  const search = q.search ? `%${escapeLike(q.search)}%` : null;
  return and(
    q.clientId ? eq(invoices.clientId, q.clientId) : undefined,
    q.projectId ? eq(invoices.projectId, q.projectId) : undefined,
    q.from ? gte(invoices.issueDate, q.from) : undefined,
    q.to ? lte(invoices.issueDate, q.to) : undefined,
    search ? or(ilike(invoices.number, search), sql`exists (select 1 from ${clients} c where c.id = ${invoices.clientId} and c.name ilike ${search})`) : undefined,
  );
}

const figures = {
  currency: invoices.currency,
  n: count(),
  total: sum(invoices.total),
  amountDue: sum(invoices.amountDue),
  amountPaid: sum(invoices.amountPaid),
};

/** Count and sums per status and currency of the invoices the filters admit. */
export function selectSumsByStatus(tx: Tx, q: Omit<InvoiceSummaryQuery, 'paidSince'>): Promise<SumRow[]> {
  return tx
    .select({ status: invoices.status, ...figures })
    .from(invoices)
    .where(listFilter(q))
    .groupBy(invoices.status, invoices.currency);
}

/** Invoices of those paid in full at or after `since`, per currency. */
export async function selectPaidSince(tx: Tx, q: Omit<InvoiceSummaryQuery, 'paidSince'>, since: string): Promise<SumRow[]> {
  const rows = await tx
    .select(figures)
    .from(invoices)
    .where(and(listFilter(q), eq(invoices.status, 'paid'), gte(invoices.paidAt, new Date(since))))
    .groupBy(invoices.currency);
  return rows.map((r) => ({ ...r, status: 'paid' }));
}
