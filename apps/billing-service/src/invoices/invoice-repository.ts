import { and, asc, count, desc, eq, gte, ilike, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { InvoiceListQuery, InvoiceSortField } from '@atelier/contracts';
import { anyOf, jsonParam, sendUnawaited, type CursorPosition, type Tx } from '@atelier/platform';
import { clients, invoiceLineTimeEntries, invoiceLines, invoiceStatusHistory, invoices, invoiceTallies, projects } from '../db/schema.js';

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceInsert = typeof invoices.$inferInsert;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type InvoiceLineInsert = typeof invoiceLines.$inferInsert;
export type LineTimeEntryRow = typeof invoiceLineTimeEntries.$inferSelect;
export type LineTimeEntryInsert = typeof invoiceLineTimeEntries.$inferInsert;
export type StatusChangeRow = typeof invoiceStatusHistory.$inferSelect;
export type InvoiceStatus = InvoiceRow['status'];

/** `update` for a change of the invoice (one writer at a time per invoice). */
export async function selectInvoice(tx: Tx, id: string, lock?: 'update'): Promise<InvoiceRow | undefined> {
  const q = tx.select().from(invoices).where(eq(invoices.id, id));
  const [row] = lock === 'update' ? await q.for('update') : await q;
  return row;
}

export async function insertInvoice(tx: Tx, values: InvoiceInsert): Promise<InvoiceRow> {
  const [row] = await tx.insert(invoices).values(values).returning();
  return row!;
}

/** Writes the columns and the next version: every change of an invoice is a new version its events carry. */
export async function updateInvoiceRow(tx: Tx, id: string, cols: PgUpdateSetSource<typeof invoices>): Promise<InvoiceRow> {
  const [row] = await tx
    .update(invoices)
    .set({ ...cols, version: sql`${invoices.version} + 1`, updatedAt: sql`now()` })
    .where(eq(invoices.id, id))
    .returning();
  return row!;
}

/** What payments leave on an invoice; a paid one keeps the first time it was paid (the transaction's time). */
export async function updateInvoicePayments(tx: Tx, id: string, cols: { amountPaid: string; amountDue: string; status: InvoiceRow['status'] }): Promise<InvoiceRow> {
  return updateInvoiceRow(tx, id, { ...cols, paidAt: cols.status === 'paid' ? sql`coalesce(${invoices.paidAt}, now())` : null });
}

export async function deleteInvoiceRow(tx: Tx, id: string): Promise<void> {
  await tx.delete(invoices).where(eq(invoices.id, id));
}

export async function selectLines(tx: Tx, invoiceIds: string[]): Promise<InvoiceLineRow[]> {
  if (invoiceIds.length === 0) return [];
  return tx.select().from(invoiceLines).where(anyOf(invoiceLines.invoiceId, invoiceIds)).orderBy(asc(invoiceLines.sortOrder), asc(invoiceLines.id));
}

export async function insertLines(tx: Tx, rows: InvoiceLineInsert[]): Promise<InvoiceLineRow[]> {
  if (rows.length === 0) return [];
  return tx.insert(invoiceLines).values(rows).returning();
}

export async function updateLine(tx: Tx, id: string, cols: Pick<InvoiceLineInsert, 'description' | 'quantity' | 'unitPrice' | 'amount' | 'taxRate' | 'sortOrder'>): Promise<void> {
  await tx.update(invoiceLines).set(cols).where(eq(invoiceLines.id, id));
}

/** Removes lines (their reservation rows go with them by cascade: release them first, so nothing live is ever dropped unannounced). */
export async function deleteLines(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.delete(invoiceLines).where(anyOf(invoiceLines.id, ids));
}

/** The time entries the invoices hold now (released ones left out). */
export async function selectLiveLineEntries(tx: Tx, invoiceIds: string[]): Promise<LineTimeEntryRow[]> {
  if (invoiceIds.length === 0) return [];
  return tx
    .select()
    .from(invoiceLineTimeEntries)
    .where(and(anyOf(invoiceLineTimeEntries.invoiceId, invoiceIds), isNull(invoiceLineTimeEntries.releasedAt)))
    .orderBy(asc(invoiceLineTimeEntries.reservedAt), asc(invoiceLineTimeEntries.timeEntryId));
}

/** What a line item shows of its time: the entries it bills, and those projects refused, each with the reason. */
export interface LineTime {
  timeEntryIds: string[];
  refused: { timeEntryId: string; reason: string }[];
}

/**
 * The time of each line of the invoices, by line id: the live reservations, and for the voided
 * ones among them the released rows too (what a voided invoice billed; a removed line takes its
 * rows with it). Aggregated here, one row a line, because a draft from time bills thousands of entries.
 */
export async function selectLineTime(tx: Tx, invoiceIds: string[], voidedIds: string[]): Promise<Map<string, LineTime>> {
  if (invoiceIds.length === 0) return new Map();
  const e = invoiceLineTimeEntries;
  const inOrder = sql`order by ${e.reservedAt}, ${e.timeEntryId}`;
  const rows = await tx
    .select({
      lineId: e.lineId,
      ids: sql<string>`string_agg(${e.timeEntryId}::text, ',' ${inOrder})`,
      refused: sql<string | null>`string_agg(${e.timeEntryId}::text || ':' || ${e.refusedReason}, ',' ${inOrder}) filter (where ${e.refusedReason} is not null)`,
    })
    .from(e)
    .where(and(anyOf(e.invoiceId, invoiceIds), or(isNull(e.releasedAt), anyOf(e.invoiceId, voidedIds))))
    .groupBy(e.lineId);
  const refusal = (pair: string) => {
    const at = pair.indexOf(':');
    return { timeEntryId: pair.slice(0, at), reason: pair.slice(at + 1) };
  };
  return new Map(rows.map((r) => [r.lineId, { timeEntryIds: r.ids.split(','), refused: r.refused?.split(',').map(refusal) ?? [] }]));
}

/**
 * Reserves entries for lines; `invoice_line_time_entries_live_key` refuses an entry another live
 * invoice holds. The rows go as one JSON parameter: a draft from time reserves thousands, and a
 * multi-row VALUES would be eight parameters each to build, send and plan.
 */
export async function insertLineEntries(tx: Tx, rows: LineTimeEntryInsert[]): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({
    agency_id: r.agencyId,
    line_id: r.lineId,
    invoice_id: r.invoiceId,
    time_entry_id: r.timeEntryId,
    entry_version: r.entryVersion,
    rounded_minutes: r.roundedMinutes,
    hourly_rate: r.hourlyRate ?? null,
    amount: r.amount,
  }));
  await tx.execute(sql`
    insert into ${invoiceLineTimeEntries} (agency_id, line_id, invoice_id, time_entry_id, entry_version, rounded_minutes, hourly_rate, amount)
    select agency_id, line_id, invoice_id, time_entry_id, entry_version, rounded_minutes, hourly_rate, amount
    from json_to_recordset(${jsonParam(records)}) as x(agency_id uuid, line_id uuid, invoice_id uuid, time_entry_id uuid, entry_version integer, rounded_minutes integer, hourly_rate numeric, amount numeric)`);
}

/** Releases the reservations of lines (removed from a draft) or of the whole invoice (voided). */
export async function releaseEntries(tx: Tx, by: { lineIds: string[] } | { invoiceId: string }): Promise<number> {
  const where =
    'invoiceId' in by ? eq(invoiceLineTimeEntries.invoiceId, by.invoiceId) : by.lineIds.length > 0 ? anyOf(invoiceLineTimeEntries.lineId, by.lineIds) : undefined;
  if (!where) return 0;
  const rows = await tx
    .update(invoiceLineTimeEntries)
    .set({ releasedAt: sql`now()` })
    .where(and(where, isNull(invoiceLineTimeEntries.releasedAt)))
    .returning({ id: invoiceLineTimeEntries.timeEntryId });
  return rows.length;
}

/** Whether projects refused any entry the invoice still holds (the entry changed or was taken before the reservation reached it). */
export async function selectRefusedEntries(tx: Tx, invoiceId: string): Promise<{ timeEntryId: string; refusedReason: string }[]> {
  const rows = await tx
    .select({ timeEntryId: invoiceLineTimeEntries.timeEntryId, refusedReason: invoiceLineTimeEntries.refusedReason })
    .from(invoiceLineTimeEntries)
    .where(and(eq(invoiceLineTimeEntries.invoiceId, invoiceId), isNull(invoiceLineTimeEntries.releasedAt), sql`${invoiceLineTimeEntries.refusedReason} is not null`));
  return rows.map((r) => ({ timeEntryId: r.timeEntryId, refusedReason: r.refusedReason ?? '' }));
}

/** Nothing waits for its answer: it goes out with the next statement or the COMMIT (`sendUnawaited`). */
export async function insertStatusChange(tx: Tx, row: { agencyId: string; invoiceId: string; status: InvoiceStatus; actorId: string | null }): Promise<void> {
  await sendUnawaited(tx, tx.insert(invoiceStatusHistory).values(row));
}

export async function selectStatusHistory(tx: Tx, invoiceId: string): Promise<StatusChangeRow[]> {
  return tx.select().from(invoiceStatusHistory).where(eq(invoiceStatusHistory.invoiceId, invoiceId)).orderBy(asc(invoiceStatusHistory.at), asc(invoiceStatusHistory.id));
}

/** Client names for the DTOs (the replica; null when the client is unknown to it). */
export async function selectClientNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: clients.id, name: clients.name }).from(clients).where(anyOf(clients.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A live client of the agency in the replica (its currency is the invoice's default). */
export async function selectLiveClient(tx: Tx, id: string): Promise<{ id: string; name: string; currency: string | null } | undefined> {
  const [row] = await tx
    .select({ id: clients.id, name: clients.name, currency: clients.currency })
    .from(clients)
    .where(and(eq(clients.id, id), isNull(clients.deletedAt)));
  return row;
}

/** The project as the replica knows it (undefined: not replicated yet). */
export async function selectReplicaProject(tx: Tx, id: string): Promise<{ clientId: string; deletedAt: Date | null } | undefined> {
  const [row] = await tx.select({ clientId: projects.clientId, deletedAt: projects.deletedAt }).from(projects).where(eq(projects.id, id));
  return row;
}

// The list ---------------------------------------------------------------------------------------

/** Sort keys; nullable ones sort last ascending. */
const sortColumns: Record<InvoiceSortField, SQL> = {
  issueDate: sql`coalesce(${invoices.issueDate}, '9999-12-31'::date)`,
  dueDate: sql`coalesce(${invoices.dueDate}, '9999-12-31'::date)`,
  number: sql`coalesce(${invoices.number}, '')`,
  total: sql`${invoices.total}`,
  createdAt: sql`${invoices.createdAt}`,
  updatedAt: sql`${invoices.updatedAt}`,
  status: sql`${invoices.status}`,
};
const cursorCast: Record<InvoiceSortField, string> = {
  issueDate: 'date',
  dueDate: 'date',
  number: 'text',
  total: 'numeric',
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
  status: 'text',
};

export interface InvoicePageRequest {
  sort: InvoiceSortField;
  order: 'asc' | 'desc';
  position: CursorPosition | null;
  maxRows: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of invoices with the list's filters, and the number of matches. */
export async function selectInvoicePage(
  tx: Tx,
  q: Pick<InvoiceListQuery, 'status' | 'clientId' | 'projectId' | 'from' | 'to' | 'search'>,
  page: InvoicePageRequest,
): Promise<{ rows: InvoiceRow[]; total: number }> {
  const column = sortColumns[page.sort];
  const dir = page.order === 'asc' ? asc : desc;
  const search = q.search ? `%${escapeLike(q.search)}%` : null;
  const where = and(
    q.status ? eq(invoices.status, q.status) : undefined,
    q.clientId ? eq(invoices.clientId, q.clientId) : undefined,
    q.projectId ? eq(invoices.projectId, q.projectId) : undefined,
    q.from ? gte(invoices.issueDate, q.from) : undefined,
    q.to ? lte(invoices.issueDate, q.to) : undefined,
    search
      ? or(ilike(invoices.number, search), sql`exists (select 1 from ${clients} c where c.id = ${invoices.clientId} and c.name ilike ${search})`)
      : undefined,
  );
  let pageWhere = where;
  if (page.position) {
    const cmp = page.order === 'asc' ? sql`>` : sql`<`;
    const value = sql`${page.position.value}::${sql.raw(cursorCast[page.sort])}`;
    pageWhere = and(where, sql`(${column}, ${invoices.id}) ${cmp} (${value}, ${page.position.id}::uuid)`);
  }
  const [rows, total] = await Promise.all([
    tx.select().from(invoices).where(pageWhere).orderBy(dir(column), dir(invoices.id)).limit(page.maxRows),
    countInvoices(tx, q, where),
  ]);
  return { rows, total };
}

/**
 * The number of invoices the filters match: from the tallies when only status and client filter
 * (the list's tabs and a client's invoices: a few rows whatever the agency's size), else counted.
 */
async function countInvoices(tx: Tx, q: Pick<InvoiceListQuery, 'status' | 'clientId' | 'projectId' | 'from' | 'to' | 'search'>, where: SQL | undefined): Promise<number> {
  if (!q.projectId && !q.from && !q.to && !q.search) {
    const [tallied] = await tx
      .select({ n: sql<string | null>`sum(${invoiceTallies.invoices})` })
      .from(invoiceTallies)
      .where(and(q.status ? eq(invoiceTallies.status, q.status) : undefined, q.clientId ? eq(invoiceTallies.clientId, q.clientId) : undefined));
    return Number(tallied?.n ?? 0);
  }
  const [counted] = await tx.select({ n: count() }).from(invoices).where(where);
  return counted?.n ?? 0;
}
