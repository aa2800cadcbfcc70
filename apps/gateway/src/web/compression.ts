import type { IncomingMessage, ServerResponse } from 'node:http';
import compression from 'compression';

/** Text worth compressing; event streams are left out (a compressor buffers the events it should flush). */
const COMPRESSIBLE = /^(?:text\/(?:html|css|plain|csv|javascript)|application\/(?:json|problem\+json|javascript|xml)|image\/svg\+xml)\b/i;

export function shouldCompress(res: Pick<ServerResponse, 'getHeader'>): boolean {
  const type = String(res.getHeader('Content-Type') ?? '');
  return COMPRESSIBLE.test(type);
}

/**
 * gzip or brotli (whichever the browser prefers) for the gateway's text responses: the web app's
 * shell, API JSON and problem documents, CSV exports. Only an allow-list of text types: PDFs,
 * images, archives and event streams pass as they are, and so does anything an upstream already
 * encoded (`compression` never re-encodes a response with a Content-Encoding, which is how the web
 * app's precompressed .br/.gz assets go out untouched).
 */
export function compressResponses() {
  const compress = compression({
    filter: (_req: IncomingMessage, res: ServerResponse) => shouldCompress(res),
    // brotli quality 4 (the library's default): near gzip's speed, smaller output.
    threshold: 1024,
  });
  // A request without Accept-Encoding gets identity whatever happens: skip the wrapping of the
  // response's head, write and end that `compression` does on every request (API clients and
  // scripts rarely ask for an encoding; browsers always do).
  return (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => (req.headers['accept-encoding'] ? compress(req as never, res as never, next) : next());
}
