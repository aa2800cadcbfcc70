import type { InvoiceRounding, InvoicingSettings } from '@atelier/contracts';

/**
 * What the builder takes from the invoicing settings: the rounding of the live totals and a new
 * invoice's defaults. Settings this person may not read (the route is owner/admin) leave the
 * rounding unknown, and the builder says so.
 */
export function settingsForBuilder(settings: InvoicingSettings | null): {
  rounding: InvoiceRounding | null;
  defaults: { taxRate: string | null; notes: string | null; terms: string | null } | null;
} {
  if (!settings) return { rounding: null, defaults: null };
  return { rounding: settings.rounding, defaults: { taxRate: settings.defaultTaxRate, notes: settings.defaultNotes, terms: settings.defaultTerms } };
}
