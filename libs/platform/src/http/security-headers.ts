import type { NextFunction, Request, Response } from 'express';

export interface SecurityHeaderOptions {
  /** Served over https (the public origin is https): adds HSTS. */
  https?: boolean;
}

/**
 * What the browser may do with a response, the same for every app: no MIME sniffing, no framing,
 * no referrer beyond the origin to other sites, no powerful features, HSTS over https. Responses
 * get a deny-all Content-Security-Policy unless the handler sets its own: the web app's pages
 * carry SvelteKit's (`kit.csp` in apps/web/svelte.config.js, nonces for its inline scripts), which
 * replaces this one. Authenticated responses (a principal is known) are `no-store`: what one user
 * saw must not sit in a shared or browser cache for the next.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}) {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    const writeHead = res.writeHead;
    // Decided when the head goes out, since authentication runs after this middleware.
    res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      if (res.locals.principal) res.setHeader('Cache-Control', 'no-store');
      return writeHead.apply(this, args);
    } as Response['writeHead'];
    next();
  };
}

export const PERMISSIONS_POLICY = 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()';
