/**
 * The contract's invoice limits the screens need. The browser ships no zod, so they are written
 * here; test/invoices.unit.test.ts fails when they drift from libs/contracts.
 */
export const MAX_INVOICE_TAXES = 2;
export const MAX_CC = 10;
/** SendInvoiceBody's check, loosely: one @, a dot after it, no spaces (the server has the last word). */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
