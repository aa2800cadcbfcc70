import { z } from 'zod';

// What a person writes as a phone number: an optional leading +, digits and the usual separators,
// then perhaps an extension ("x12", "ext. 12", "#12"). E.164 allows at most 15 digits; fewer than 4
// is no number anyone can call from outside.
const PHONE_SHAPE = /^\+?[\d\s().\-/]+?(?:\s*(?:ext\.?|x|#)\s*\d{1,6})?$/i;
const EXTENSION = /(?:ext\.?|x|#)\s*\d{1,6}$/i;
const MIN_DIGITS = 4;
const MAX_DIGITS = 15;

/**
 * Why `raw` cannot be a phone number, or null when it is a plausible one (kept as typed: the
 * stored value is what the user wrote; normalising is the service's business).
 */
export function phoneProblem(raw: string): string | null {
  if (!/\d/.test(raw)) return 'must be a phone number: it has no digits';
  if (!PHONE_SHAPE.test(raw)) return 'must be a phone number: only digits, spaces, + ( ) - . / and an extension such as "x12"';
  // A 00 international prefix is dialled, not part of the number.
  const digits = raw.replace(EXTENSION, '').replace(/\D/g, '').replace(/^00/, '').length;
  if (digits < MIN_DIGITS) return `must be a phone number: at least ${MIN_DIGITS} digits`;
  if (digits > MAX_DIGITS) return `must be a phone number: at most ${MAX_DIGITS} digits`;
  return null;
}

/** An optional phone field: trimmed, empty becomes null, at most 50 characters, and a plausible phone number. */
export const optionalPhone = z
  .string()
  .trim()
  .max(50)
  .superRefine((v, ctx) => {
    // Too long is reported once, by max().
    const problem = v === '' || v.length > 50 ? null : phoneProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((v) => (v === '' ? null : v))
  .nullable()
  .optional()
  .meta({ description: 'As typed; must be a plausible phone number (digits, spaces, + ( ) - . /, an extension such as x12)', example: '+44 20 7946 0958' });
