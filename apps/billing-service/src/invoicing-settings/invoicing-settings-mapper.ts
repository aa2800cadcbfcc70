import { DEFAULT_INVOICING_SETTINGS, type InvoicingSettings } from '@atelier/contracts';
import { normalDecimal } from '../invoices/decimals.js';
import type { InvoicingSettingsColumns, InvoicingSettingsRow } from './invoicing-settings-repository.js';

export const toInvoicingSettings = (row: InvoicingSettingsRow | null | undefined): InvoicingSettings =>
  row
    ? {
        numberFormat: row.numberFormat,
        defaultDueDays: row.defaultDueDays,
        defaultTaxRate: row.defaultTaxRate === null ? null : normalDecimal(row.defaultTaxRate),
        defaultTerms: row.defaultTerms,
        defaultNotes: row.defaultNotes,
        rounding: row.rounding,
        reminderDays: [...row.reminderDays],
        fromName: row.fromName,
        replyTo: row.replyTo,
        footer: row.footer,
      }
    : { ...DEFAULT_INVOICING_SETTINGS, reminderDays: [...DEFAULT_INVOICING_SETTINGS.reminderDays] };

export const toInvoicingSettingsColumns = (s: InvoicingSettings): InvoicingSettingsColumns => ({ ...s, reminderDays: [...s.reminderDays] });
