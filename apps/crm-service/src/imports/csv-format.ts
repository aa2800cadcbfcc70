import { parse, type Parser } from 'csv-parse';

/** The delimiters we detect; the importer reads nothing else. */
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export const isDelimiter = (value: string): value is Delimiter => (DELIMITERS as readonly string[]).includes(value);

/** A single record larger than this is an error (most likely a quote that is never closed), not a reason to buffer the file. */
export const MAX_RECORD_CHARS = 1_000_000;

/**
 * The one parser configuration, used for the preview at upload and again by the job, so both see
 * the same records: RFC 4180 quoting (embedded delimiters, quotes, newlines), a stray quote inside
 * an unquoted field kept as text, rows with more or fewer cells than the header kept (the importer
 * reports them), a BOM dropped.
 */
export const csvParser = (delimiter: Delimiter): Parser =>
  parse({ delimiter, bom: true, relax_quotes: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS });

/** A record every cell of which is blank: an empty line, or a line of delimiters as spreadsheets leave at the end. */
export const isBlankRecord = (cells: string[]): boolean => cells.every((c) => c.trim() === '');

// The formula guard is the kit's, so every CSV the platform hands out (crm's, projects') escapes alike.
export { escapeCell, unescapeCell } from '@atelier/platform';

/**
 * Picks the delimiter of a file from its first lines: for each candidate, the number of times it
 * occurs outside quotes on each line; the winner occurs on the header line and the same number of
 * times on the most following lines (ties: more occurrences in the header). A file with one column
 * has none of them and reads as comma-separated.
 */
export function detectDelimiter(head: string, maxLines = 20): Delimiter {
  const counts = new Map<Delimiter, number[]>(DELIMITERS.map((d) => [d, []]));
  let current = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  let lines = 0;
  const endLine = () => {
    for (const d of DELIMITERS) counts.get(d)?.push(current.get(d) ?? 0);
    current = new Map(DELIMITERS.map((d) => [d, 0]));
    lines++;
  };
  for (let i = 0; i < head.length && lines < maxLines; i++) {
    const ch = head[i];
    if (ch === '"') inQuotes = !inQuotes; // a doubled quote toggles twice: still inside
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && head[i + 1] === '\n') i++;
      endLine();
    } else if (!inQuotes && isDelimiter(ch ?? '')) current.set(ch as Delimiter, (current.get(ch as Delimiter) ?? 0) + 1);
  }
  // The last line counts only if it is complete (the head may stop in the middle of it) or is the only one.
  if (lines === 0) endLine();

  let best: { d: Delimiter; consistent: number; header: number } | null = null;
  for (const d of DELIMITERS) {
    const perLine = counts.get(d) ?? [];
    const header = perLine[0] ?? 0;
    if (header === 0) continue;
    const consistent = perLine.slice(1).filter((n) => n === header).length;
    if (!best || consistent > best.consistent || (consistent === best.consistent && header > best.header)) best = { d, consistent, header };
  }
  return best?.d ?? ',';
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export type HeadProblem = 'binary' | 'utf16' | 'encoding';

/** Looks at the first bytes of an upload: a UTF-16 byte order mark or NUL bytes mean it is not a UTF-8 text file. */
export function inspectHead(head: Buffer): { problem: HeadProblem | null; bomLength: number } {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return { problem: 'utf16', bomLength: 0 };
  if (head.includes(0)) return { problem: 'binary', bomLength: 0 };
  return { problem: null, bomLength: head.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0 };
}
