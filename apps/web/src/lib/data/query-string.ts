export type QueryValues = Record<string, string | number | boolean | null | undefined>;

/** Builds `?a=1&b=2`, leaving out undefined, null and empty-string values. */
export function queryString(query: QueryValues | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
