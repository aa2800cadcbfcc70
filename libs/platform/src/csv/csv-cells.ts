// Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Cell text for a CSV we hand out: a value a spreadsheet would run as a formula gets a leading `'`.
 * A value that already starts with `'`s before such a character gets one more, so `unescapeCell`
 * restores every value exactly and export → import round-trips.
 */
export const escapeCell = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);

/** The inverse of `escapeCell`, applied to every cell read from an uploaded file. */
export const unescapeCell = (value: string): string => (value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value);
