const TOKEN = /\{([A-Z]+)(?::(\d+))?\}/g;

/** Whether the format names the year: without one, numbers run on across years (one sequence, counter year 0). */
export const formatHasYear = (format: string): boolean => /\{YYYY\}|\{YY\}/.test(format);

/** `INV-{YYYY}-{SEQ:4}` with 2026 and 7 → `INV-2026-0007` (the format was checked when saved). */
export function formatInvoiceNumber(format: string, year: number, seq: number): string {
  return format.replace(TOKEN, (_all, name: string, width?: string) => {
    if (name === 'YYYY') return String(year).padStart(4, '0');
    if (name === 'YY') return String(year % 100).padStart(2, '0');
    return String(seq).padStart(width === undefined ? 1 : Number(width), '0');
  });
}
