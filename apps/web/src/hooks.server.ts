import type { Handle } from '@sveltejs/kit';
import { firstScreenUrls } from '$lib/data/first-screen';

/** Set by the gateway on page requests of a signed-in browser: its `/api/auth/me` body, URI-encoded. */
const SESSION_HEADER = 'x-atelier-session';

/** The session as a JSON data block that is safe inside <script>: no `<`, and no line separators JS would trip on. */
function sessionJson(encoded: string | null): string {
  if (!encoded) return 'null';
  try {
    const session: unknown = JSON.parse(decodeURIComponent(encoded));
    if (!session || typeof session !== 'object') return 'null';
    return JSON.stringify(session).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  } catch {
    return 'null';
  }
}

const attribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * For a signed-in page: its first screen's data requests as preloads, so they leave with the
 * script's instead of after it has run (one round trip less before the data is on screen).
 */
function preloadTags(url: URL, signedIn: boolean): string {
  if (!signedIn) return '';
  return firstScreenUrls(url.pathname, url.searchParams)
    .map((url) => `<link rel="preload" as="fetch" crossorigin href="${attribute(url)}">`)
    .join('');
}

export const handle: Handle = async ({ event, resolve }) => {
  const json = sessionJson(event.request.headers.get(SESSION_HEADER));
  const preloads = preloadTags(event.url, json !== 'null');
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%atelier.preload%', preloads).replace('%atelier.session%', json),
  });
  // The shell now carries who is signed in: never from a shared cache, always revalidated.
  if (response.headers.get('content-type')?.startsWith('text/html')) response.headers.set('cache-control', 'private, no-cache');
  return response;
};
