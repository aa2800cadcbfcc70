import { Money } from '@atelier/money';
import type { CreateInvoiceBody, Invoice, InvoicedTimeEntry, InvoiceListQuery, InvoiceStatusChange, LineItemInput, UpdateInvoiceBody } from '@atelier/contracts';
import {
  EDITORS,
  conflictError,
  decodeCursor,
  encodeCursor,
  forbiddenError,
  invalid,
  invalidField,
  isUniqueViolation,
  notFoundError,
  tenantTx,
  transactionNow,
  writeEvent,
  type Db,
  type FieldError,
  type Principal,
  type Tx,
} from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { invoicingSettingsOf } from '../invoicing-settings/invoicing-settings-service.js';
import { addDays } from '@atelier/time';
import { normalDecimal } from './decimals.js';
import { invoiceTimePayload, writeDraftEvent } from './invoice-events.js';
import { figureColumns, figuresOf, type FigureInput } from './invoice-figures.js';
import { publicTokenOf, publicUrlOf } from './invoice-links.js';
import { toInvoiceDto, toStatusChange } from './invoice-mapper.js';
import {
  deleteInvoiceRow,
  deleteLines,
  insertInvoice,
  insertLineEntries,
  insertLines,
  insertStatusChange,
  releaseEntries,
  selectClientNames,
  selectInvoice,
  selectInvoicePage,
  selectLineTime,
  selectLines,
  selectLiveClient,
  selectReplicaProject,
  selectLiveLineEntries,
  selectStatusHistory,
  updateInvoiceRow,
  updateLine,
  type InvoiceLineRow,
  type InvoiceRow,
} from './invoice-repository.js';

export type { InvoiceRow } from './invoice-repository.js';

export const invoiceNotFound = () => notFoundError('invoice.not_found', 'Invoice not found');
export const notDraft = (row: InvoiceRow) => conflictError('invoice.not_draft', `The invoice is ${row.status}; only a draft can be changed or deleted`);

/** Invoices are the agency's money: owners, admins and managers read and change them; members do not see them. */
export function requireInvoiceRole(who: Principal): void {
  if (!EDITORS.includes(who.role)) throw forbiddenError('invoice.forbidden', 'Only owners, admins and managers work with invoices');
}

export async function requireInvoice(tx: Tx, id: string, lock?: 'update'): Promise<InvoiceRow> {
  const row = await selectInvoice(tx, id, lock);
  if (!row) throw invoiceNotFound();
  return row;
}

/** The public page's address of an issued invoice (the token is derived, never stored: see invoice-links). */
export const publicLinkOf = (invoiceId: string): { publicToken: string; publicUrl: string } => {
  const publicToken = publicTokenOf(invoiceId);
  return { publicToken, publicUrl: publicUrlOf(publicToken) };
};

/** The contract's Invoice for rows read in this transaction (lines, their time entries and client names in three queries however many). */
function byInvoice<T extends { invoiceId: string }>(rows: readonly T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const held = grouped.get(row.invoiceId);
    if (held) held.push(row);
    else grouped.set(row.invoiceId, [row]);
  }
  return grouped;
}

export async function invoiceDtos(tx: Tx, rows: readonly InvoiceRow[]): Promise<Invoice[]> {
  const ids = rows.map((r) => r.id);
  const [lines, time, names] = await Promise.all([selectLines(tx, ids), selectLineTime(tx, ids, rows.filter((r) => r.status === 'void').map((r) => r.id)), selectClientNames(tx, rows.map((r) => r.clientId))]);
  // One pass over a page's lines, not one per invoice.
  const linesOf = byInvoice(lines);
  return rows.map((row) =>
    toInvoiceDto(
      row,
      linesOf.get(row.id) ?? [],
      time,
      names.get(row.clientId) ?? null,
      row.status === 'draft' || row.status === 'void' ? null : publicLinkOf(row.id).publicUrl,
    ),
  );
}

/** The contract's Invoice for one invoice of the transaction's agency, or `invoice.not_found`. */
export async function getInvoiceDto(tx: Tx, id: string): Promise<Invoice> {
  const [dto] = await invoiceDtos(tx, [await requireInvoice(tx, id)]);
  return dto!;
}

// Drafts -----------------------------------------------------------------------------------------

export interface DraftLine {
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate: string | null;
  /** Defaults to the line's position. */
  sortOrder?: number;
  timeEntries: InvoicedTimeEntry[];
}

export interface NewDraft {
  clientId: string;
  projectId: string | null;
  currency: string;
  lines: DraftLine[];
  /** Absent: the settings' defaults (tax rate, notes, terms); null: none. */
  taxRate?: string | null;
  taxes?: { name: string; rate: string }[];
  discountType?: 'amount' | 'percent' | null;
  discountValue?: string | null;
  notes?: string | null;
  terms?: string | null;
  issueDate?: string | null;
  dueDate?: string | null;
}

/** Below what NUMERIC(19,4) holds: a larger figure is a 400, not a failed insert. */
const MAX_AMOUNT = '999999999999999';
function checkMagnitudes(currency: string, figures: ReturnType<typeof figuresOf>): void {
  const limit = Money.round(MAX_AMOUNT, currency);
  const over = (m: Money) => m.abs().compare(limit) > 0;
  const errors: FieldError[] = figures.lines.flatMap((l, i) => (over(l.amount) ? [{ path: `lineItems.${i}.quantity`, message: `makes a line amount above ${limit.amount}` }] : []));
  if (errors.length === 0 && (over(figures.subtotal) || over(figures.total))) errors.push({ path: 'lineItems', message: `add up to more than ${limit.amount}` });
  if (errors.length > 0) throw invalid('invoice.invalid_amount', 'An amount is too large', errors);
}

const fitsCurrency = (v: string, currency: string) => {
  try {
    Money.of(v, currency);
    return true;
  } catch {
    return false;
  }
};

const entryAmountInvalid = (path: string, message: string) => invalidField('invoice.invalid_time_entry', path, message);

/**
 * Inside a tenant transaction: applies the agency's invoicing defaults (due days, terms, notes,
 * tax rate), computes totals with libs/money invoiceTotals, inserts invoice + lines + the lines'
 * time entries (one live invoice per entry: a unique violation → 409 `invoice.time_entry_taken`),
 * writes status history and `billing.invoice.drafted.v1` (every time entry now on it) through the
 * outbox. Returns the row.
 */
export async function insertDraft(tx: Tx, who: Pick<Principal, 'agencyId' | 'userId'>, draft: NewDraft): Promise<InvoiceRow> {
  const settings = await invoicingSettingsOf(tx);
  const taxes = draft.taxes ?? [];
  const taxRate = taxes.length > 0 ? null : draft.taxRate === undefined ? settings.defaultTaxRate : draft.taxRate;
  const discountType = draft.discountValue == null ? null : (draft.discountType ?? null);
  const discountValue = discountType === null ? null : (draft.discountValue ?? null);
  const figureInput: FigureInput = {
    currency: draft.currency,
    rounding: settings.rounding,
    discountType,
    discountValue,
    taxRate,
    taxes,
    lines: draft.lines.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice, taxRate: l.taxRate })),
  };
  const figures = figuresOf(figureInput);
  checkMagnitudes(draft.currency, figures);
  const seen = new Set<string>();
  draft.lines.forEach((line, i) =>
    line.timeEntries.forEach((e, j) => {
      if (seen.has(e.timeEntryId)) throw conflictError('invoice.time_entry_taken', `Time entry ${e.timeEntryId} is on this draft twice`, [{ path: `lineItems.${i}.timeEntries.${j}`, message: 'appears twice' }]);
      seen.add(e.timeEntryId);
      for (const [field, v] of [['amount', e.amount], ['hourlyRate', e.hourlyRate]] as const) {
        if (v !== null && !fitsCurrency(v, draft.currency)) throw entryAmountInvalid(`lineItems.${i}.timeEntries.${j}.${field}`, `does not fit ${draft.currency}`);
      }
    }),
  );
  const issueDate = draft.issueDate ?? null;
  const dueDate = draft.dueDate !== undefined ? draft.dueDate : issueDate ? addDays(issueDate, settings.defaultDueDays) : null;
  const row = await insertInvoice(tx, {
    agencyId: who.agencyId,
    clientId: draft.clientId,
    projectId: draft.projectId,
    currency: draft.currency,
    status: 'draft',
    issueDate,
    dueDate,
    discountType,
    discountValue,
    taxRate,
    taxes: taxes.map((t) => ({ name: t.name, rate: normalDecimal(t.rate) })),
    rounding: settings.rounding,
    ...figureColumns(figures, '0'),
    notes: draft.notes === undefined ? settings.defaultNotes : draft.notes,
    terms: draft.terms === undefined ? settings.defaultTerms : draft.terms,
    createdBy: who.userId,
  });
  const lines = await insertLines(
    tx,
    draft.lines.map((l, i) => ({
      agencyId: who.agencyId,
      invoiceId: row.id,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: figures.lines[i]!.amount.amount,
      taxRate: l.taxRate,
      sortOrder: l.sortOrder ?? i,
    })),
  );
  // RETURNING keeps the VALUES order.
  await reserve(
    tx,
    who.agencyId,
    row.id,
    draft.lines.flatMap((l, i) => l.timeEntries.map((e) => ({ lineId: lines[i]!.id, entry: e }))),
  );
  await insertStatusChange(tx, { agencyId: who.agencyId, invoiceId: row.id, status: 'draft', actorId: who.userId });
  await writeDraftEvent(tx, who, 'drafted', row, await selectLiveLineEntries(tx, [row.id]));
  return row;
}

async function reserve(tx: Tx, agencyId: string, invoiceId: string, items: { lineId: string; entry: InvoicedTimeEntry }[]): Promise<void> {
  try {
    await insertLineEntries(
      tx,
      items.map(({ lineId, entry }) => ({
        agencyId,
        lineId,
        invoiceId,
        timeEntryId: entry.timeEntryId,
        entryVersion: entry.version,
        roundedMinutes: entry.roundedMinutes,
        hourlyRate: entry.hourlyRate,
        amount: entry.amount,
      })),
    );
  } catch (err) {
    if (isUniqueViolation(err, 'invoice_line_time_entries_live_key')) throw conflictError('invoice.time_entry_taken', 'A time entry is already on another invoice');
    throw err;
  }
}

/** The client an invoice is for: known to the replica and not deleted, or a 400 naming `clientId`. */
async function requireClient(tx: Tx, clientId: string) {
  const client = await selectLiveClient(tx, clientId);
  if (!client) throw invalidField('invoice.client_unknown', 'clientId', 'must be a client of the agency');
  return client;
}

/**
 * A project named on an invoice must be the client's and not deleted, as far as the replica
 * knows; one it does not know yet (its event is on the way) is taken as given.
 */
async function checkProject(tx: Tx, projectId: string | null | undefined, clientId: string): Promise<void> {
  if (!projectId) return;
  const project = await selectReplicaProject(tx, projectId);
  if (project && (project.deletedAt !== null || project.clientId !== clientId)) throw invalidField('invoice.project_mismatch', 'projectId', "must be a live project of the invoice's client");
}

const lineOf = (l: LineItemInput, i: number): DraftLine => ({
  description: l.description,
  quantity: l.quantity,
  unitPrice: l.unitPrice,
  taxRate: l.taxRate ?? null,
  sortOrder: l.sortOrder ?? i,
  timeEntries: [],
});

/** POST /api/invoices: a draft with manual lines, in the client's currency unless the body names one. */
export function createInvoice(db: Db, who: Principal, body: CreateInvoiceBody): Promise<Invoice> {
  requireInvoiceRole(who);
  return tenantTx(db, who.agencyId, async (tx) => {
    const client = await requireClient(tx, body.clientId);
    await checkProject(tx, body.projectId, client.id);
    const currency = body.currency ?? client.currency;
    if (!currency) throw invalidField('invoice.client_unknown', 'clientId', 'must be a client of the agency');
    const lineIds = (body.lineItems ?? []).flatMap((l, i) => (l.id ? [i] : []));
    if (lineIds.length > 0) throw invalid('invoice.unknown_line', 'A new invoice has no lines to keep', lineIds.map((i) => ({ path: `lineItems.${i}.id`, message: 'is not a line of this invoice' })));
    const row = await insertDraft(tx, who, {
      clientId: client.id,
      projectId: body.projectId ?? null,
      currency,
      lines: (body.lineItems ?? []).map(lineOf),
      ...(body.taxRate !== undefined ? { taxRate: body.taxRate } : {}),
      ...(body.taxes !== undefined ? { taxes: body.taxes } : {}),
      discountType: body.discountType ?? null,
      discountValue: body.discountValue ?? null,
      ...(body.notes !== undefined ? { notes: body.notes } : {}),
      ...(body.terms !== undefined ? { terms: body.terms } : {}),
      issueDate: body.issueDate ?? null,
      ...(body.dueDate !== undefined ? { dueDate: body.dueDate } : {}),
    });
    return getInvoiceDto(tx, row.id);
  });
}

export function getInvoice(db: Db, who: Principal, id: string): Promise<Invoice> {
  requireInvoiceRole(who);
  return tenantTx(db, who.agencyId, (tx) => getInvoiceDto(tx, id), { mode: 'snapshot' });
}

export function invoiceHistory(db: Db, who: Principal, id: string): Promise<{ data: InvoiceStatusChange[] }> {
  requireInvoiceRole(who);
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      await requireInvoice(tx, id);
      return { data: (await selectStatusHistory(tx, id)).map(toStatusChange) };
    },
    { mode: 'snapshot' },
  );
}

type Sort = NonNullable<InvoiceListQuery['sort']>;
const cursorValue = (row: InvoiceRow, sort: Sort): string => {
  switch (sort) {
    case 'issueDate':
      return row.issueDate ?? '9999-12-31';
    case 'dueDate':
      return row.dueDate ?? '9999-12-31';
    case 'number':
      return row.number ?? '';
    case 'total':
      return row.total;
    case 'updatedAt':
      return row.updatedAt.toISOString();
    case 'status':
      return row.status;
    default:
      return row.createdAt.toISOString();
  }
};
const isIsoDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
const isDecimal = (v: string) => /^-?\d{1,15}(\.\d{1,4})?$/.test(v);

/** The list: one snapshot for the page and its total, keyset cursor on (sort, id); newest first without a sort. */
export function listInvoices(db: Db, who: Principal, q: InvoiceListQuery) {
  requireInvoiceRole(who);
  const sort: Sort = q.sort ?? 'createdAt';
  const order = q.order ?? (sort === 'number' || sort === 'status' ? 'asc' : 'desc');
  const cursorKey = `invoices:${sort}:${order}`;
  const check = sort === 'createdAt' || sort === 'updatedAt' ? 'timestamp' : sort === 'issueDate' || sort === 'dueDate' ? isIsoDate : sort === 'total' ? isDecimal : 'text';
  const position = decodeCursor(q.cursor, cursorKey, check);
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const { rows, total } = await selectInvoicePage(tx, q, { sort, order, position, maxRows: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: cursorKey, value: cursorValue(last, sort), id: last.id }) : null;
      return { data: await invoiceDtos(tx, page), nextCursor, total };
    },
    { mode: 'snapshot' },
  );
}

// Changes of a draft ------------------------------------------------------------------------------

const storedDecimal = (v: string | null) => (v === null ? null : normalDecimal(v));

/** Whether a kept line differs from its row (a long invoice's PATCH rewrites only the lines that changed). */
const lineChanged = (row: InvoiceLineRow, next: { description: string; quantity: string; unitPrice: string; amount: string; taxRate: string | null; sortOrder: number }) =>
  row.description !== next.description ||
  normalDecimal(row.quantity) !== normalDecimal(next.quantity) ||
  normalDecimal(row.unitPrice) !== normalDecimal(next.unitPrice) ||
  normalDecimal(row.amount) !== normalDecimal(next.amount) ||
  storedDecimal(row.taxRate) !== (next.taxRate === null ? null : normalDecimal(next.taxRate)) ||
  row.sortOrder !== next.sortOrder;

/**
 * PATCH of a draft. `lineItems` replaces the whole list: lines named by `id` keep their id and
 * time entries, lines left out are removed and their time released (the updated event no longer
 * lists it). The figures are recomputed with the draft's own rounding.
 */
export function updateInvoice(db: Db, who: Principal, id: string, body: UpdateInvoiceBody): Promise<Invoice> {
  requireInvoiceRole(who);
  return tenantTx(db, who.agencyId, async (tx) => {
    const row = await requireInvoice(tx, id, 'update');
    if (row.status !== 'draft') throw notDraft(row);
    const [existing, entries] = await Promise.all([selectLines(tx, [id]), selectLiveLineEntries(tx, [id])]);
    const clientId = body.clientId ?? row.clientId;
    const currency = body.currency ?? row.currency;
    if (clientId !== row.clientId) {
      await requireClient(tx, clientId);
      if (entries.length > 0) throw conflictError('invoice.has_time', "The draft bills time of its client's projects; its client cannot change", [{ path: 'clientId', message: 'cannot change while time is on the draft' }]);
    }
    if (body.projectId !== undefined || clientId !== row.clientId) await checkProject(tx, body.projectId !== undefined ? body.projectId : row.projectId, clientId);
    if (currency !== row.currency && entries.length > 0) {
      throw conflictError('invoice.has_time', 'The draft bills time in its currency; the currency cannot change', [{ path: 'currency', message: 'cannot change while time is on the draft' }]);
    }

    const byId = new Map(existing.map((l) => [l.id, l]));
    const inputs = body.lineItems;
    if (inputs) {
      const unknown = inputs.flatMap((l, i) => (l.id !== undefined && !byId.has(l.id.toLowerCase()) ? [{ path: `lineItems.${i}.id`, message: 'is not a line of this invoice' }] : []));
      if (unknown.length > 0) throw invalid('invoice.unknown_line', 'A line to keep is not on this invoice', unknown);
    }
    const nextLines = inputs
      ? inputs.map((l, i) => ({ id: l.id?.toLowerCase() ?? null, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, taxRate: l.taxRate ?? null, sortOrder: l.sortOrder ?? i }))
      : existing.map((l) => ({ id: l.id, description: l.description, quantity: normalDecimal(l.quantity), unitPrice: normalDecimal(l.unitPrice), taxRate: storedDecimal(l.taxRate), sortOrder: l.sortOrder }));

    const namedTaxes = body.taxes !== undefined && body.taxes.length > 0;
    const taxes = namedTaxes ? body.taxes!.map((t) => ({ name: t.name, rate: normalDecimal(t.rate) })) : body.taxRate != null ? [] : body.taxes !== undefined ? [] : row.taxes;
    const taxRate = namedTaxes ? null : body.taxRate !== undefined ? body.taxRate : taxes.length > 0 ? null : storedDecimal(row.taxRate);
    let discountType = body.discountType !== undefined ? body.discountType : row.discountType;
    let discountValue = body.discountValue !== undefined ? body.discountValue : storedDecimal(row.discountValue);
    if (discountType === null || discountValue === null) discountType = discountValue = null;
    const issueDate = body.issueDate !== undefined ? body.issueDate : row.issueDate;
    const dueDate = body.dueDate !== undefined ? body.dueDate : row.dueDate;
    if (issueDate && dueDate && dueDate < issueDate) throw invalidField('invoice.invalid_dates', 'dueDate', 'must be on or after issueDate');

    const figures = figuresOf({ currency, rounding: row.rounding, discountType, discountValue, taxRate, taxes, lines: nextLines });
    checkMagnitudes(currency, figures);

    const kept = new Set(nextLines.flatMap((l) => (l.id ? [l.id] : [])));
    const removed = existing.filter((l) => !kept.has(l.id)).map((l) => l.id);
    await releaseEntries(tx, { lineIds: removed });
    await deleteLines(tx, removed);
    const fresh: { line: (typeof nextLines)[number]; amount: string }[] = [];
    for (const [i, l] of nextLines.entries()) {
      const amount = figures.lines[i]!.amount.amount;
      if (!l.id) fresh.push({ line: l, amount });
      else if (lineChanged(byId.get(l.id)!, { ...l, amount })) {
        await updateLine(tx, l.id, { description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, amount, taxRate: l.taxRate, sortOrder: l.sortOrder });
      }
    }
    await insertLines(
      tx,
      fresh.map(({ line: l, amount }) => ({ agencyId: who.agencyId, invoiceId: id, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, amount, taxRate: l.taxRate, sortOrder: l.sortOrder })),
    );
    const saved = await updateInvoiceRow(tx, id, {
      clientId,
      currency,
      projectId: body.projectId !== undefined ? body.projectId : row.projectId,
      issueDate,
      dueDate,
      discountType,
      discountValue,
      taxRate,
      taxes,
      ...figureColumns(figures, row.amountPaid),
      notes: body.notes !== undefined ? body.notes : row.notes,
      terms: body.terms !== undefined ? body.terms : row.terms,
    });
    await writeDraftEvent(tx, who, 'updated', saved, await selectLiveLineEntries(tx, [id]));
    return getInvoiceDto(tx, id);
  });
}

/** A draft is deleted outright; every entry it reserved is released (`billing.invoice.deleted.v1`). */
export function deleteInvoice(db: Db, who: Principal, id: string): Promise<void> {
  requireInvoiceRole(who);
  return tenantTx(db, who.agencyId, async (tx) => {
    const row = await requireInvoice(tx, id, 'update');
    if (row.status !== 'draft') throw notDraft(row);
    await releaseEntries(tx, { invoiceId: id });
    await deleteInvoiceRow(tx, id);
    const now = await transactionNow(tx);
    await writeEvent(tx, outbox, {
      name: 'billing.invoice.deleted.v1',
      agencyId: who.agencyId,
      actorId: who.userId,
      payload: { clientId: row.clientId, invoiceId: id, version: row.version + 1, deletedAt: now.toISOString() },
    });
  });
}

/**
 * Any issued invoice nothing is paid on becomes void: its time is released (the event lists it so
 * projects unbills it). A draft is deleted instead; once money arrived, refund it first.
 */
export function voidInvoice(db: Db, who: Principal, id: string): Promise<Invoice> {
  requireInvoiceRole(who);
  return tenantTx(db, who.agencyId, async (tx) => {
    const row = await requireInvoice(tx, id, 'update');
    if (row.status === 'draft') throw conflictError('invoice.is_draft', 'A draft is not voided; delete it');
    if (row.status === 'void') throw conflictError('invoice.voided', 'The invoice is already void');
    if (Money.round(row.amountPaid, row.currency).isPositive()) throw conflictError('invoice.has_payments', 'A payment was received for this invoice; refund it before voiding');
    const entries = await selectLiveLineEntries(tx, [id]);
    await releaseEntries(tx, { invoiceId: id });
    const now = await transactionNow(tx);
    const saved = await updateInvoiceRow(tx, id, { status: 'void', voidedAt: now });
    await insertStatusChange(tx, { agencyId: who.agencyId, invoiceId: id, status: 'void', actorId: who.userId });
    await writeEvent(tx, outbox, {
      name: 'billing.invoice.voided.v1',
      agencyId: who.agencyId,
      actorId: who.userId,
      payload: { ...invoiceTimePayload(saved, entries), voidedAt: now.toISOString() },
    });
    return getInvoiceDto(tx, id);
  });
}

export type { InvoiceLineRow };
