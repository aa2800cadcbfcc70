/** "7, 14" → [7, 14]; "" → []; null when a part is not a whole number (the API checks range and repeats). */
export function parseReminderDays(text: string): number[] | null {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.some((p) => !/^\d+$/.test(p))) return null;
  return parts.map(Number);
}

const TOKEN = /\{([A-Z]+)(?::(\d+))?\}/g;

/**
 * An example number for a format ("INV-{YYYY}-{SEQ:4}" → "INV-2026-0001"), as the server will
 * print the year's first; null while the format has no single {SEQ} (the server says why).
 */
export function numberPreview(format: string, now: Date, seq = 1): string | null {
  const seqs = [...format.matchAll(TOKEN)].filter((m) => m[1] === 'SEQ').length;
  if (seqs !== 1) return null;
  const year = String(now.getFullYear());
  return format.trim().replace(TOKEN, (whole, name: string, width?: string) => {
    if (name === 'YYYY') return year;
    if (name === 'YY') return year.slice(-2);
    if (name === 'SEQ') return String(seq).padStart(width ? Number(width) : 1, '0');
    return whole;
  });
}
