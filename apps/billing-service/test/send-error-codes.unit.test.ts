import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes, routes } from '@atelier/contracts';
import { thrownErrorCodes } from '@atelier/platform/testing';

const thrown = [...new Set(['invoice-pdf', 'invoice-send', 'public-invoices', 'reminders'].flatMap((dir) => thrownErrorCodes(join(import.meta.dirname, '../src', dir))))];

describe('billing-service error codes (PDF, send, reminders, public page)', () => {
  it('throws only codes the contract documents, each listed on one of these operations', () => {
    expect(thrown).toEqual(expect.arrayContaining(['invoice.no_recipient', 'invoice.not_remindable', 'invoice.voided', 'invoice.not_found']));
    expect(thrown.filter((c) => !(c in errorCodes))).toEqual([]);
    // The public checkout shares the public prefix but is payments-service's.
    const mine = routes.filter((r) => /\/(pdf|send|remind)$|^\/api\/public\/invoices/.test(r.path) && !r.path.endsWith('/checkout'));
    expect(mine.map((r) => r.operationId).sort()).toEqual(['getInvoicePdf', 'getPublicInvoice', 'getPublicInvoicePdf', 'remindInvoice', 'sendInvoice']);
    const listed = new Set(mine.flatMap((r) => r.errorCodes ?? []));
    expect(thrown.filter((c) => !listed.has(c as keyof typeof errorCodes))).toEqual([]);
  });
});
