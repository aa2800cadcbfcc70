import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CreateInvoiceBody,
  InvoiceIssuedPayload,
  InvoiceListQuery,
  UpdateInvoiceBody,
  UpdateInvoicingSettingsBody,
  eventPayloads,
  numberFormatProblem,
} from '../src/index.js';

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('invoice bodies', () => {
  const clientId = randomUUID();

  it('takes the two named taxes of Québec, three-decimal quantities and a line tax override', () => {
    const body = CreateInvoiceBody.parse({
      clientId,
      currency: 'CAD',
      taxes: [{ name: 'GST', rate: '5' }, { name: 'QST', rate: '9.975' }],
      lineItems: [{ description: 'Design', quantity: '1.125', unitPrice: '100.00' }, { description: 'Books', quantity: '2', unitPrice: '10.00', taxRate: '0' }],
    });
    expect(body.taxes).toHaveLength(2);
    expect(body.lineItems?.[1]?.taxRate).toBe('0');
  });

  it('names each bad field: decimals beyond the currency, a discount over 100 %, a third tax, both tax forms', () => {
    expect(issues(CreateInvoiceBody.safeParse({ clientId, currency: 'JPY', lineItems: [{ description: 'x', quantity: '1', unitPrice: '500.5' }] }))).toEqual([
      'lineItems.0.unitPrice: must be a whole amount in JPY',
    ]);
    expect(issues(CreateInvoiceBody.safeParse({ clientId, discountType: 'percent', discountValue: '120' }))).toEqual(['discountValue: must be a percentage from 0 to 100 such as "10"']);
    expect(issues(CreateInvoiceBody.safeParse({ clientId, discountValue: '5' }))).toEqual(['discountType: is required with discountValue']);
    expect(issues(CreateInvoiceBody.safeParse({ clientId, lineItems: [{ description: 'x', quantity: '1.0001', unitPrice: '1' }] }))[0]).toMatch(/^lineItems\.0\.quantity: /);
    const tax = { name: 'T', rate: '1' };
    expect(issues(CreateInvoiceBody.safeParse({ clientId, taxes: [tax, tax, tax] }))[0]).toMatch(/^taxes: /);
    expect(issues(CreateInvoiceBody.safeParse({ clientId, taxRate: '19', taxes: [tax] }))).toEqual(['taxes: give either taxRate or taxes, not both']);
    expect(issues(CreateInvoiceBody.safeParse({ clientId, unknown: 1 }))[0]).toMatch(/unknown|Unrecognized/i);
  });

  it('replaces lines as a whole list, refusing one id twice', () => {
    const id = randomUUID();
    const line = { id, description: 'x', quantity: '1', unitPrice: '1.00' };
    expect(issues(UpdateInvoiceBody.safeParse({ lineItems: [line, line] }))).toEqual(['lineItems.1.id: appears twice']);
    expect(UpdateInvoiceBody.parse({ lineItems: [line, { ...line, id: undefined }] }).lineItems).toHaveLength(2);
  });

  it('lists with the conventions and the contract filters', () => {
    const q = InvoiceListQuery.parse({ status: 'overdue', sort: 'dueDate', from: '2026-01-01', to: '2026-12-31' });
    expect(q).toMatchObject({ limit: 50, status: 'overdue', sort: 'dueDate' });
    expect(issues(InvoiceListQuery.safeParse({ from: '2026-02-01', to: '2026-01-01' }))).toEqual(['to: must be on or after from']);
  });
});

describe('invoicing settings', () => {
  it('accepts {YYYY}, {YY}, {SEQ} and {SEQ:n}, with exactly one sequence', () => {
    for (const ok of ['INV-{YYYY}-{SEQ:4}', '{SEQ}', '{YY}/{SEQ:6}']) expect(numberFormatProblem(ok), ok).toBeNull();
    for (const bad of ['INV-{YYYY}', '{SEQ}-{SEQ}', '{MM}-{SEQ}', '{SEQ:0}', 'A{B-{SEQ}', 'A\r\nB{SEQ}']) expect(numberFormatProblem(bad), bad).not.toBeNull();
  });

  it('names the bad fields; a From name cannot carry a line break into a header', () => {
    const fields = issues(UpdateInvoicingSettingsBody.safeParse({ reminderDays: [0, 3, 3], replyTo: 'nope', fromName: 'Ada\r\nBcc: x@y.test', rounding: 'cash' })).map((i) => i.split(':')[0]);
    expect(fields.sort()).toEqual(['fromName', 'reminderDays', 'reminderDays.0', 'replyTo', 'rounding']);
    expect(UpdateInvoicingSettingsBody.parse({ replyTo: 'Billing@Acme.test', fromName: '' })).toEqual({ replyTo: 'billing@acme.test', fromName: null });
  });
});

describe('billing and payments events', () => {
  it('registers the workflow and payment events', () => {
    for (const name of ['sent', 'viewed', 'overdue', 'reminder_sent', 'partially_paid', 'paid', 'refunded']) expect(eventPayloads).toHaveProperty([`billing.invoice.${name}.v1`]);
    for (const name of ['succeeded', 'failed', 'refunded']) expect(eventPayloads).toHaveProperty([`payments.payment.${name}.v1`]);
  });

  it('still reads an issued event published before the optional figures existed', () => {
    const v1 = { clientId: randomUUID(), invoiceId: randomUUID(), projectId: null, number: 'INV-2026-0001', currency: 'EUR', version: 2, timeEntries: [], issuedAt: new Date().toISOString() };
    expect(InvoiceIssuedPayload.safeParse(v1).success).toBe(true);
    expect(InvoiceIssuedPayload.safeParse({ ...v1, total: '1190.00', amountDue: '1190.00', status: 'sent', publicTokenDigest: 'a'.repeat(64) }).success).toBe(true);
  });
});
