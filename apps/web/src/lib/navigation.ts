/** A same-site path we may send people back to (never another origin). */
export function safeReturnPath(value: string | null | undefined, fallback: string): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}

/** The path (with query) of a URL, to come back to it later: `returnTo` links carry it. */
export const pathWithQuery = (url: URL): string => url.pathname + url.search;

/** `url`'s path and query with `patch` applied: a null or empty value removes its parameter. */
export function withParams(url: URL, patch: Record<string, string | null>): string {
  const next = new URL(url.href);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === '') next.searchParams.delete(key);
    else next.searchParams.set(key, value);
  }
  return next.pathname + next.search;
}
