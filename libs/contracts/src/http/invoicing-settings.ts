import { z } from 'zod';
import { Percent, optionalText } from '../common.js';

export const InvoiceRounding = z.enum(['line', 'document']);
export type InvoiceRounding = z.infer<typeof InvoiceRounding>;

/** `{SEQ}` or `{SEQ:n}` (zero-padded to n digits, 1..10) once, and any of `{YYYY}`, `{YY}` (the issue year in the agency's timezone). */
/** A header value or a number must be one printable line: CR/LF could add mail headers. */
const hasControlCharacter = (v: string) => [...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

const TOKEN = /\{([A-Z]+)(?::(\d+))?\}/g;
export function numberFormatProblem(format: string): string | null {
  let seq = 0;
  for (const [, name, width] of format.matchAll(TOKEN)) {
    if (name === 'SEQ') {
      seq += 1;
      if (width !== undefined && (Number(width) < 1 || Number(width) > 10)) return 'must pad {SEQ:n} to 1..10 digits';
    } else if ((name === 'YYYY' || name === 'YY') && width === undefined) continue;
    else return `has an unknown token {${name}${width === undefined ? '' : `:${width}`}}; allowed: {YYYY}, {YY}, {SEQ}, {SEQ:n}`;
  }
  if (seq !== 1) return 'must contain {SEQ} or {SEQ:n} exactly once';
  if (/[{}]/.test(format.replace(TOKEN, ''))) return 'has an unbalanced { or }';
  if (hasControlCharacter(format)) return 'must not contain control characters';
  return null;
}

/** `numberFormat` is checked on its own; an invalid one is named in the problem. */
export const NumberFormat = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(60)
  .superRefine((v, ctx) => {
    const problem = numberFormatProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'Invoice number format: {YYYY}, {YY}, {SEQ} or {SEQ:n}', example: 'INV-{YYYY}-{SEQ:4}' });

/** Days after the due date on which a reminder goes out (each once, at 09:00 in the agency's timezone). */
export const ReminderDays = z
  .array(z.number().int().min(1, 'must be at least 1').max(365))
  .max(10)
  .refine((days) => new Set(days).size === days.length, 'must not repeat a day');

/** Per agency (owner/admin); a missing row means `DEFAULT_INVOICING_SETTINGS`. */
export const InvoicingSettings = z
  .object({
    numberFormat: z.string(),
    defaultDueDays: z.number().int(),
    defaultTaxRate: Percent.nullable(),
    defaultTerms: z.string().nullable(),
    defaultNotes: z.string().nullable(),
    rounding: InvoiceRounding,
    reminderDays: z.array(z.number().int()),
    fromName: z.string().nullable(),
    replyTo: z.string().nullable(),
    footer: z.string().nullable(),
  })
  .meta({ id: 'InvoicingSettings' });
export type InvoicingSettings = z.infer<typeof InvoicingSettings>;

export const DEFAULT_INVOICING_SETTINGS: InvoicingSettings = {
  numberFormat: 'INV-{YYYY}-{SEQ:4}',
  defaultDueDays: 30,
  defaultTaxRate: null,
  defaultTerms: null,
  defaultNotes: null,
  rounding: 'document',
  reminderDays: [7, 14],
  fromName: null,
  replyTo: null,
  footer: null,
};

export const UpdateInvoicingSettingsBody = z
  .object({
    numberFormat: NumberFormat.optional(),
    defaultDueDays: z.number().int().min(0).max(365).optional(),
    defaultTaxRate: Percent.refine((v) => Number(v) < 100, 'must be below 100').nullable().optional(),
    defaultTerms: optionalText(10_000),
    defaultNotes: optionalText(10_000),
    rounding: InvoiceRounding.optional(),
    reminderDays: ReminderDays.optional(),
    // A header value: no CR/LF can reach the mailer from here.
    fromName: z
      .string()
      .trim()
      .max(100)
      .refine((v) => !hasControlCharacter(v), 'must be one line without control characters')
      .transform((v) => (v === '' ? null : v))
      .nullable()
      .optional(),
    replyTo: z
      .union([z.email().max(254), z.literal('')])
      .transform((v) => (v === '' ? null : v.toLowerCase()))
      .nullable()
      .optional(),
    footer: optionalText(2_000),
  })
  .strict()
  .meta({ id: 'UpdateInvoicingSettingsBody' });
export type UpdateInvoicingSettingsBody = z.infer<typeof UpdateInvoicingSettingsBody>;
