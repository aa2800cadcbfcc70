import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes, routes } from '@atelier/contracts';
import { thrownErrorCodes } from '@atelier/platform/testing';

/** The folders of the invoices core (the PDF renderer and others test their own). */
const thrown = [...new Set(['invoices', 'numbering', 'invoicing-settings', 'payments-ledger', 'overdue'].flatMap((dir) => thrownErrorCodes(join(import.meta.dirname, '../src', dir))))];

/**
 * Codes thrown by the functions other routes call (insertDraft from POST /api/invoices/from-time,
 * issueInvoice from POST /api/invoices/:id/send): those routes list them when they are added.
 */
const ON_OTHER_ROUTES = new Set(['invoice.invalid_time_entry', 'invoice.time_entry_taken', 'invoice.time_changed', 'invoice.empty', 'invoice.due_before_issue']);

describe('billing-service error codes (invoices core)', () => {
  it('throws only codes the contract documents, and documents each on an operation', () => {
    expect(thrown.length).toBeGreaterThanOrEqual(15);
    expect(thrown.filter((c) => !(c in errorCodes))).toEqual([]);
    const onOperations = new Set(routes.flatMap((r) => r.errorCodes ?? []));
    expect(thrown.filter((c) => !onOperations.has(c as keyof typeof errorCodes) && !ON_OTHER_ROUTES.has(c))).toEqual([]);
  });
});
