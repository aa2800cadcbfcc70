/** A piece of a note: plain text, or a web address to link. */
export type NotePart = { text: string; href?: string };

// http(s) addresses and bare www. ones; trailing punctuation stays text ("see https://a.b/c.").
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
const TRAILING = /[.,;:!?)\]}'"]+$/;

/**
 * Splits a note into text and links. Only http and https addresses become links (never
 * `javascript:` or `data:`), so a note cannot run script when clicked.
 */
export function linkify(body: string): NotePart[] {
  const parts: NotePart[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    let raw = match[0];
    const trail = raw.match(TRAILING)?.[0] ?? '';
    if (trail) raw = raw.slice(0, -trail.length);
    if (!raw) continue;
    const href = raw.toLowerCase().startsWith('www.') ? `https://${raw}` : raw;
    let safe: string | null = null;
    try {
      const url = new URL(href);
      if (url.protocol === 'http:' || url.protocol === 'https:') safe = url.href;
    } catch {
      safe = null;
    }
    if (!safe) continue;
    if (start > last) parts.push({ text: body.slice(last, start) });
    parts.push({ text: raw, href: safe });
    last = start + raw.length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}
