import type { Express } from 'express';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD /path` an Express app serves through routers mounted at its root. */
export function listRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

/** What a service serves under /api and /webhooks (health checks aside) that the OpenAPI route list leaves out. */
export function undocumentedRoutes(served: readonly string[], documented: readonly { method: string; path: string }[]): string[] {
  const known = new Set(documented.map((r) => `${r.method.toUpperCase()} ${r.path}`));
  return served.filter((r) => !r.endsWith('/healthz') && !r.endsWith('/readyz') && !known.has(r));
}
