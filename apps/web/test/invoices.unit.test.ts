import { describe, expect, it } from 'vitest';
import { invoiceTotals } from '@atelier/money';
// The test holds the browser's copies and bodies against the contract's schemas; tests ship nothing to the browser.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { MAX_CC as CONTRACT_MAX_CC, MAX_INVOICE_TAXES as CONTRACT_MAX_TAXES, SendInvoiceBody, UpdateInvoiceBody, type Invoice } from '@atelier/contracts';
import { blankLine, bodyOf, describePath, draftOf, liveTotals, moveLine, newDraft, stepLine, taxesOf, type Draft, type DraftLine } from '../src/lib/components/invoices/builder.js';
import { emailPreview, sendBody, sendProblems, splitAddresses } from '../src/lib/components/invoices/email-preview.js';
import { canVoid, isOverdue } from '../src/lib/components/invoices/labels.js';
import { MAX_CC, MAX_INVOICE_TAXES } from '../src/lib/components/invoices/limits.js';
import { numberPreview, parseReminderDays } from '../src/lib/components/invoices/settings-form.js';
import { addSums, dashboardFigures, monthStart } from '../src/lib/components/invoices/summary.js';

const line = (quantity: string, unitPrice: string, taxRate = '', description = 'Work'): DraftLine => ({ ...blankLine(), description, quantity, unitPrice, taxRate });
const draft = (patch: Partial<Draft>): Draft => ({ ...newDraft('00000000-0000-4000-8000-000000000001', 'EUR', null), ...patch });
const figures = (d: Draft, rounding: 'line' | 'document' = 'document') => {
  const live = liveTotals(d, rounding);
  if (!live.ok) throw new Error(`no totals: ${live.path} ${live.message}`);
  const t = live.totals;
  return { subtotal: t.subtotal.amount, discount: t.discountAmount.amount, tax: t.taxAmount.amount, total: t.total.amount, taxes: t.taxes.map((x) => [x.name, x.rate, x.base.amount, x.amount.amount]) };
};

describe('live totals of the builder', () => {
  it('hold the golden cases of the issue', () => {
    expect(figures(draft({ taxRate: '19', lines: [line('1', '1000.00')] }))).toMatchObject({ subtotal: '1000.00', tax: '190.00', total: '1190.00' });
    expect(figures(draft({ taxRate: '19', lines: [line('1', '138.66')] }))).toMatchObject({ tax: '26.35', total: '165.01' });
    expect(figures(draft({ currency: 'JPY', taxRate: '', lines: [line('1', '500')] }))).toMatchObject({ subtotal: '500', tax: '0', total: '500' });
  });

  it('are what libs/money computes for the same body the API receives, in both roundings', () => {
    const d = draft({
      taxMode: 'named',
      taxes: [
        { name: 'GST', rate: '5' },
        { name: 'QST', rate: '9.975' },
      ],
      discountType: 'percent',
      discountValue: '7.5',
      lines: [line('1.333', '19.99'), line('2', '0.05'), line('3.5', '120.00', '0'), line('0.125', '33.33', '21')],
    });
    const body = bodyOf(d);
    for (const rounding of ['line', 'document'] as const) {
      const server = invoiceTotals({
        currency: 'EUR',
        lines: body.lineItems!.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice, taxRate: l.taxRate ?? null })),
        discount: { type: 'percent', value: body.discountValue! },
        taxes: body.taxes!.map((t) => ({ name: t.name, rate: t.rate })),
        rounding,
      });
      const live = figures(d, rounding);
      expect(live.total).toBe(server.total.amount);
      expect(live.tax).toBe(server.taxAmount.amount);
      expect(live.taxes).toEqual(server.taxes.map((x) => [x.name, x.rate, x.base.amount, x.amount.amount]));
    }
  });

  it('rounds each line in per-line mode and the sum in per-document mode', () => {
    const lines = [line('1', '0.05'), line('1', '0.05'), line('1', '0.05')];
    // 19 % of 0.05 is 0.0095: per line 0.01 × 3; per document 0.0285 → 0.03. Both 0.03 here,
    // so take 10 %: per line 0.01 (0.005 away from zero) × 3 = 0.03, per document 0.015 → 0.02.
    expect(figures(draft({ taxRate: '10', lines }), 'line').tax).toBe('0.03');
    expect(figures(draft({ taxRate: '10', lines }), 'document').tax).toBe('0.02');
  });

  it('say which input keeps them from being computed, in words', () => {
    const blank = liveTotals(draft({ lines: [line('1', '10'), line('2', '')] }), 'document');
    expect(blank).toEqual({ ok: false, path: 'lines[1].unitPrice', message: 'is needed for the totals' });
    expect(describePath('lines[1].unitPrice')).toBe('Line 2, unit price');
    const tooMuch = liveTotals(draft({ discountType: 'amount', discountValue: '20', lines: [line('1', '10')] }), 'document');
    expect(tooMuch.ok).toBe(false);
    if (!tooMuch.ok) expect(tooMuch.path).toBe('discountValue');
    const precise = liveTotals(draft({ currency: 'JPY', lines: [line('1', '10.5')] }), 'document');
    expect(precise.ok).toBe(false);
    if (!precise.ok) expect(precise.path).toBe('lines[0].unitPrice');
  });

  it('read "1,5" as 1.5', () => {
    expect(figures(draft({ lines: [line('1,5', '10,00')] })).subtotal).toBe('15.00');
  });
});

const invoice: Invoice = {
  id: '10000000-0000-4000-8000-000000000001',
  number: null,
  clientId: '00000000-0000-4000-8000-000000000001',
  clientName: 'Acme',
  projectId: null,
  status: 'draft',
  issueDate: null,
  dueDate: '2026-12-31',
  currency: 'CAD',
  rounding: 'document',
  lineItems: [
    { id: '20000000-0000-4000-8000-000000000002', description: 'Second', quantity: '2', unitPrice: '5.00', amount: '10.00', taxRate: null, sortOrder: 1, timeEntryIds: [] },
    { id: '20000000-0000-4000-8000-000000000001', description: 'First', quantity: '1.5', unitPrice: '100.00', amount: '150.00', taxRate: '0', sortOrder: 0, timeEntryIds: ['30000000-0000-4000-8000-000000000001'] },
  ],
  subtotal: '160.00',
  discountType: 'amount',
  discountValue: '10.00',
  discountAmount: '10.00',
  taxRate: null,
  taxes: [
    { name: 'GST', rate: '5' },
    { name: 'QST', rate: '9.975' },
  ],
  taxAmount: '1.50',
  taxLines: [],
  total: '151.50',
  amountPaid: '0.00',
  amountDue: '151.50',
  notes: null,
  terms: 'Net 30',
  publicUrl: null,
  sentAt: null,
  viewedAt: null,
  paidAt: null,
  voidedAt: null,
  version: 3,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};

describe('the draft and its request body', () => {
  it('edits a saved invoice in its lines order and sends every line back with its id, in the order shown', () => {
    const d = draftOf(invoice);
    expect(d.lines.map((l) => l.description)).toEqual(['First', 'Second']);
    expect(d.lines[0]!.timeEntryCount).toBe(1);
    expect(d.taxMode).toBe('named');
    const moved = { ...d, lines: moveLine(d.lines, d.lines[0]!.key, 1) };
    const body = bodyOf(moved);
    expect(body.lineItems!.map((l) => [l.id, l.sortOrder, l.taxRate])).toEqual([
      ['20000000-0000-4000-8000-000000000002', 0, null],
      ['20000000-0000-4000-8000-000000000001', 1, '0'],
    ]);
    expect(body).toMatchObject({ taxRate: null, taxes: invoice.taxes, discountType: 'amount', discountValue: '10.00', notes: null, terms: 'Net 30', issueDate: null });
    // The contract's own schema accepts what the builder sends.
    expect(UpdateInvoiceBody.safeParse(body).success).toBe(true);
  });

  it('sends one unnamed rate, or none, and never both forms', () => {
    const one = bodyOf(draft({ taxRate: '19', lines: [line('1', '1.00')] }));
    expect([one.taxRate, one.taxes]).toEqual(['19', []]);
    const none = bodyOf(draft({ taxRate: ' ', lines: [line('1', '1.00')] }));
    expect([none.taxRate, none.taxes]).toEqual([null, []]);
    expect(taxesOf({ taxMode: 'named', taxRate: '19', taxes: [{ name: 'VAT', rate: '19' }, { name: '', rate: '' }] })).toEqual([{ name: 'VAT', rate: '19' }]);
    expect(UpdateInvoiceBody.safeParse(bodyOf(draft({ taxMode: 'named', taxRate: '19', taxes: [{ name: 'VAT', rate: '7' }], lines: [line('1', '1.00')] }))).success).toBe(true);
  });

  it('starts a new invoice with the agency defaults', () => {
    const d = newDraft('c', 'EUR', { defaultTaxRate: '19', defaultNotes: 'Thanks', defaultTerms: null });
    expect([d.taxRate, d.notes, d.terms, d.lines.length]).toEqual(['19', 'Thanks', '', 1]);
  });

  it('reorders lines one keyboard step at a time, stopping at the ends', () => {
    const lines = [line('1', '1', '', 'a'), line('1', '1', '', 'b'), line('1', '1', '', 'c')];
    expect(stepLine(lines, lines[0]!.key, 'up')).toBeNull();
    expect(stepLine(lines, lines[0]!.key, 'down')!.map((l) => l.description)).toEqual(['b', 'a', 'c']);
    expect(stepLine(lines, lines[2]!.key, 'down')).toBeNull();
    expect(moveLine(lines, lines[2]!.key, 0).map((l) => l.description)).toEqual(['c', 'a', 'b']);
    expect(moveLine(lines, lines[0]!.key, 99).map((l) => l.description)).toEqual(['b', 'c', 'a']);
  });

  it('names the same limits as the contract (the browser ships no zod)', () => {
    expect(MAX_INVOICE_TAXES).toBe(CONTRACT_MAX_TAXES);
    expect(MAX_CC).toBe(CONTRACT_MAX_CC);
  });
});

describe('the send dialog', () => {
  it('checks addresses as the API would and leaves a blank To to the server', () => {
    expect(splitAddresses(' a@x.test, b@y.test;c@z.test ')).toEqual(['a@x.test', 'b@y.test', 'c@z.test']);
    expect(sendBody({ to: ' ', cc: '', message: '  ' })).toEqual({});
    const body = sendBody({ to: 'Ada@Acme.test', cc: 'b@acme.test', message: 'Thanks!' });
    expect(SendInvoiceBody.safeParse(body).success).toBe(true);
    expect(sendProblems({ to: 'ada', cc: '', message: '' })).toHaveProperty('to');
    expect(sendProblems({ to: '', cc: 'ok@x.test, nope', message: '' })['cc']).toContain('nope');
    expect(sendProblems({ to: '', cc: Array.from({ length: 11 }, (_, i) => `p${i}@x.test`).join(','), message: '' })['cc']).toContain('at most 10');
    expect(sendProblems({ to: 'ada@acme.test', cc: 'b@acme.test', message: '' })).toEqual({});
  });

  it('previews the email with the message, the amount and the due day', () => {
    const sent = { ...invoice, number: 'INV-2026-0007', status: 'sent' as const };
    const mail = emailPreview(sent, 'Studio', 'Thanks for the work!', 'send');
    expect(mail.subject).toBe('Invoice INV-2026-0007 from Studio');
    expect(mail.body).toContain('Thanks for the work!');
    expect(mail.body).toMatch(/151\.50/);
    expect(emailPreview(sent, 'Studio', '', 'remind').subject).toMatch(/^Reminder: invoice INV-2026-0007 from Studio, .*151\.50 due$/);
  });
});

describe('statuses, sums and settings', () => {
  it('marks open invoices past their due day as overdue, and offers void only without a payment', () => {
    expect(isOverdue({ status: 'sent', dueDate: '2026-12-01' }, '2026-12-02')).toBe(true);
    expect(isOverdue({ status: 'sent', dueDate: '2026-12-02' }, '2026-12-02')).toBe(false);
    expect(isOverdue({ status: 'paid', dueDate: '2026-12-01' }, '2026-12-02')).toBe(false);
    expect(isOverdue({ status: 'overdue', dueDate: null }, '2026-12-02')).toBe(true);
    expect(canVoid({ status: 'sent', amountPaid: '0.00' })).toBe(true);
    expect(canVoid({ status: 'overdue', amountPaid: '5.00' })).toBe(false);
    expect(canVoid({ status: 'void', amountPaid: '0.00' })).toBe(false);
  });

  it('adds sums per currency exactly and never across currencies', () => {
    const sums = addSums([
      { currency: 'EUR', total: '0.10', amountDue: '0.10', amountPaid: '0.00' },
      { currency: 'JPY', total: '500', amountDue: '500', amountPaid: '0' },
      { currency: 'EUR', total: '0.20', amountDue: '0.05', amountPaid: '0.15' },
    ]);
    expect(sums).toEqual([
      { currency: 'EUR', total: '0.30', amountDue: '0.15', amountPaid: '0.15' },
      { currency: 'JPY', total: '500', amountDue: '500', amountPaid: '0' },
    ]);
    const none = { count: 0, sums: [] };
    const d = dashboardFigures({
      statuses: [
        { status: 'draft', count: 4, sums: [{ currency: 'EUR', total: '9.00', amountDue: '9.00', amountPaid: '0.00' }] },
        { status: 'sent', count: 1, sums: [{ currency: 'EUR', total: '1.00', amountDue: '1.00', amountPaid: '0.00' }] },
        { status: 'overdue', count: 2, sums: [{ currency: 'EUR', total: '3.00', amountDue: '2.50', amountPaid: '0.50' }] },
        { status: 'paid', count: 1, sums: [{ currency: 'EUR', total: '7.00', amountDue: '0.00', amountPaid: '7.00' }] },
      ],
      paid: null,
    });
    expect(d.outstanding).toEqual({ count: 3, sums: [{ currency: 'EUR', total: '4.00', amountDue: '3.50', amountPaid: '0.50' }] });
    expect(d.overdue.count).toBe(2);
    expect(d.paid).toEqual(none);
  });

  it('starts the month at midnight of the 1st in the agency time zone', () => {
    expect(monthStart(new Date('2026-12-02T06:00:00Z'), 'Europe/Berlin')).toBe('2026-11-30T23:00:00.000Z');
    expect(monthStart(new Date('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe('2026-06-30T22:00:00.000Z');
    // 1 Dec 03:00 in Berlin is still 30 Nov in New York.
    expect(monthStart(new Date('2026-12-01T02:00:00Z'), 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    expect(monthStart(new Date('2026-12-02T06:00:00Z'), null)).toBe('2026-12-01T00:00:00.000Z');
    expect(monthStart(new Date('2026-12-02T06:00:00Z'), 'Not/AZone')).toBe('2026-12-01T00:00:00.000Z');
  });

  it('previews the number format and reads reminder days', () => {
    const now = new Date(2026, 5, 1);
    expect(numberPreview('INV-{YYYY}-{SEQ:4}', now)).toBe('INV-2026-0001');
    expect(numberPreview('{YY}/{SEQ}', now, 42)).toBe('26/42');
    expect(numberPreview('INV-{YYYY}', now)).toBeNull();
    expect(parseReminderDays('7, 14;30')).toEqual([7, 14, 30]);
    expect(parseReminderDays('')).toEqual([]);
    expect(parseReminderDays('7, soon')).toBeNull();
  });
});

describe('the invoice list’s first screen', () => {
  it('is preloaded by the shell with exactly the requests the page makes: the list and its tabs’ summary', async () => {
    const { firstScreenUrls } = await import('../src/lib/data/first-screen.js');
    const urls = firstScreenUrls('/invoices', new URLSearchParams('status=overdue&clientId=00000000-0000-4000-8000-000000000001&q=acme'));
    expect(urls).toHaveLength(2);
    const [list, summary] = urls.map((u) => new URL(u, 'http://x'));
    expect(list!.pathname).toBe('/api/invoices');
    expect(Object.fromEntries(list!.searchParams)).toMatchObject({ status: 'overdue', clientId: '00000000-0000-4000-8000-000000000001', search: 'acme', sort: 'createdAt', order: 'desc', limit: '25' });
    expect(summary!.pathname).toBe('/api/invoices/summary');
    // The tabs count every status: the summary has the filters but not the status.
    expect(Object.fromEntries(summary!.searchParams)).toEqual({ clientId: '00000000-0000-4000-8000-000000000001', search: 'acme' });
  });
});
