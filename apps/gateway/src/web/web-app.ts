import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * The SvelteKit adapter-node build, mounted after the API routes. It is loaded from the build
 * folder at run time (not imported) because apps never import each other.
 */
export async function loadWebHandler(buildDir: string, logger: Logger): Promise<RequestHandler | null> {
  const handlerFile = path.join(buildDir, 'handler.js');
  if (!buildDir || !existsSync(handlerFile)) {
    logger.warn({ handlerFile }, 'web build not found; run `npm run build:web` to serve the app');
    return null;
  }
  const mod = (await import(pathToFileURL(handlerFile).href)) as { handler: RequestHandler };
  return mod.handler;
}
