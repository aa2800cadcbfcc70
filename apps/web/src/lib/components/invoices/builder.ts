/**
 * The invoice builder's arithmetic, apart from the screen: the editable draft, its request body,
 * the live totals (libs/money `invoiceTotals`, the function the API stores the figures of, so
 * the screen and the saved invoice cannot disagree) and line reordering (the board's moves on a
 * single column). Pure, so the unit tier covers it.
 */
import { invoiceTotals, MoneyError, type InvoiceTotals, type TaxRounding } from '@atelier/money';
import type { Invoice, InvoicingSettings, UpdateInvoiceBody } from '@atelier/contracts';
import { moveTo, step, type Columns } from '../tasks/board';

export interface DraftLine {
  /** Stable key for the screen (the line's id once saved). */
  key: string;
  /** The saved line this is (keeps its time entries); undefined for a new line. */
  id?: string;
  description: string;
  quantity: string;
  unitPrice: string;
  /** '' : the document's taxes apply; else this line's own rate ("0" exempt). */
  taxRate: string;
  /** How many time entries the line bills (shown, never edited here). */
  timeEntryCount: number;
}

export type DiscountChoice = 'none' | 'amount' | 'percent';
/** One unnamed document rate, or up to two named taxes on the same base. */
export type TaxMode = 'rate' | 'named';

export interface Draft {
  clientId: string;
  projectId: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  discountType: DiscountChoice;
  discountValue: string;
  taxMode: TaxMode;
  taxRate: string;
  taxes: { name: string; rate: string }[];
  notes: string;
  terms: string;
  lines: DraftLine[];
}

let keys = 0;
/** A key no other line of this page has. */
export const newLineKey = (): string => `new-${++keys}`;

export const blankLine = (): DraftLine => ({ key: newLineKey(), description: '', quantity: '1', unitPrice: '', taxRate: '', timeEntryCount: 0 });

/** A new invoice for `clientId` in `currency`, with the agency's defaults. */
export function newDraft(clientId: string, currency: string, settings: Pick<InvoicingSettings, 'defaultTaxRate' | 'defaultNotes' | 'defaultTerms'> | null): Draft {
  return {
    clientId,
    projectId: '',
    currency,
    issueDate: '',
    dueDate: '',
    discountType: 'none',
    discountValue: '',
    taxMode: 'rate',
    taxRate: settings?.defaultTaxRate ?? '',
    taxes: [],
    notes: settings?.defaultNotes ?? '',
    terms: settings?.defaultTerms ?? '',
    lines: [blankLine()],
  };
}

/** A saved invoice as the builder edits it. */
export function draftOf(invoice: Invoice): Draft {
  const named = invoice.taxes.some((t) => t.name !== null);
  return {
    clientId: invoice.clientId,
    projectId: invoice.projectId ?? '',
    currency: invoice.currency,
    issueDate: invoice.issueDate ?? '',
    dueDate: invoice.dueDate ?? '',
    discountType: invoice.discountType ?? 'none',
    discountValue: invoice.discountType ? (invoice.discountValue ?? '') : '',
    taxMode: named ? 'named' : 'rate',
    taxRate: named ? '' : (invoice.taxRate ?? invoice.taxes[0]?.rate ?? ''),
    taxes: named ? invoice.taxes.map((t) => ({ name: t.name ?? '', rate: t.rate })) : [],
    notes: invoice.notes ?? '',
    terms: invoice.terms ?? '',
    lines: [...invoice.lineItems]
      .sort((a, b) => a.sortOrder - b.sortOrder)
      .map((l) => ({ key: l.id, id: l.id, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, taxRate: l.taxRate ?? '', timeEntryCount: l.timeEntryIds.length })),
  };
}

const text = (v: string): string | null => (v.trim() === '' ? null : v.trim());
/** "1,5" typed in a comma locale is what "1.5" means; spaces around a number are no part of it. */
export const normaliseNumber = (v: string): string => v.trim().replace(',', '.');

/** The document's taxes as the totals and the API take them. */
export function taxesOf(draft: Pick<Draft, 'taxMode' | 'taxRate' | 'taxes'>): { name: string | null; rate: string }[] {
  if (draft.taxMode === 'rate') return text(draft.taxRate) ? [{ name: null, rate: normaliseNumber(draft.taxRate) }] : [];
  return draft.taxes.filter((t) => text(t.name) || text(t.rate)).map((t) => ({ name: t.name.trim(), rate: normaliseNumber(t.rate) }));
}

/** The request that saves the draft (create or update: `lineItems` replaces the whole list, in screen order). */
export function bodyOf(draft: Draft): UpdateInvoiceBody & { clientId: string } {
  const named = draft.taxMode === 'named';
  return {
    clientId: draft.clientId,
    projectId: draft.projectId || null,
    currency: draft.currency,
    issueDate: draft.issueDate || null,
    dueDate: draft.dueDate || null,
    discountType: draft.discountType === 'none' ? null : draft.discountType,
    discountValue: draft.discountType === 'none' ? null : normaliseNumber(draft.discountValue) || null,
    taxRate: named ? null : text(draft.taxRate) ? normaliseNumber(draft.taxRate) : null,
    taxes: named ? taxesOf(draft).map((t) => ({ name: t.name ?? '', rate: t.rate })) : [],
    notes: text(draft.notes),
    terms: text(draft.terms),
    lineItems: draft.lines.map((l, i) => ({
      ...(l.id ? { id: l.id } : {}),
      description: l.description.trim(),
      quantity: normaliseNumber(l.quantity),
      unitPrice: normaliseNumber(l.unitPrice),
      taxRate: text(l.taxRate) ? normaliseNumber(l.taxRate) : null,
      sortOrder: i,
    })),
  };
}

export type LiveTotals = { ok: true; totals: InvoiceTotals } | { ok: false; path: string | null; message: string };

/** "lines[2].unitPrice" → "Line 3, unit price"; the names people see beside the inputs. */
export function describePath(path: string | null | undefined): string | null {
  if (!path) return null;
  const line = /^lines\[(\d+)\]\.(\w+)$/.exec(path);
  const names: Record<string, string> = { quantity: 'quantity', unitPrice: 'unit price', taxRate: 'tax rate', discountValue: 'Discount', taxes: 'Taxes' };
  if (line) return `Line ${Number(line[1]) + 1}, ${names[line[2]!] ?? line[2]}`;
  return names[path] ?? path;
}

/**
 * The figures the server will store for this draft, computed the same way; or why they cannot be
 * computed yet (a price not typed, a discount above the subtotal), naming the input at fault.
 */
export function liveTotals(draft: Draft, rounding: TaxRounding): LiveTotals {
  const blank = draft.lines.findIndex((l) => normaliseNumber(l.quantity) === '' || normaliseNumber(l.unitPrice) === '');
  if (blank !== -1) {
    const field = normaliseNumber(draft.lines[blank]!.quantity) === '' ? 'quantity' : 'unitPrice';
    return { ok: false, path: `lines[${blank}].${field}`, message: 'is needed for the totals' };
  }
  const discountValue = normaliseNumber(draft.discountValue);
  try {
    const totals = invoiceTotals({
      currency: draft.currency,
      lines: draft.lines.map((l) => ({ quantity: normaliseNumber(l.quantity), unitPrice: normaliseNumber(l.unitPrice), taxRate: text(l.taxRate) ? normaliseNumber(l.taxRate) : null })),
      discount: draft.discountType === 'none' || discountValue === '' ? null : { type: draft.discountType, value: discountValue },
      taxes: taxesOf(draft),
      rounding,
    });
    return { ok: true, totals };
  } catch (e) {
    if (e instanceof MoneyError) return { ok: false, path: e.path ?? null, message: e.message };
    throw e;
  }
}

// ---- Reordering: the task board's moves (board.ts) on one column, the invoice's lines.

const LINES = 'lines' as const;
const column = (lines: readonly DraftLine[]): Columns<typeof LINES> => [{ status: LINES, ids: lines.map((l) => l.key) }];
const byKeys = (lines: readonly DraftLine[], ids: readonly string[]): DraftLine[] => {
  const map = new Map(lines.map((l) => [l.key, l]));
  return ids.map((id) => map.get(id)!);
};

/** The lines with `key` moved to `index` (clamped). */
export function moveLine(lines: readonly DraftLine[], key: string, index: number): DraftLine[] {
  return byKeys(lines, moveTo(column(lines), key, { status: LINES, index })[0]!.ids);
}

/** One keyboard step up or down; null at either end. */
export function stepLine(lines: readonly DraftLine[], key: string, direction: 'up' | 'down'): DraftLine[] | null {
  const to = step(column(lines), key, direction);
  return to ? moveLine(lines, key, to.index) : null;
}


