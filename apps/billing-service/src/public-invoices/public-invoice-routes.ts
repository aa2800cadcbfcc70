import type { Response } from 'express';
import type { Principal, PublicRoute } from '@atelier/platform';
import { sendPdf } from '../invoice-pdf/invoice-pdf-routes.js';
import type { InvoicePdfDeps } from '../invoice-pdf/invoice-pdf-service.js';
import { getPublicInvoice, getPublicInvoicePdf } from './public-invoice-service.js';

/** The session the gateway forwarded on this public route, if any (a staff preview); null for the client. */
const viewerOf = (res: Response): Principal | null => (res.locals.principal as Principal | undefined) ?? null;

/** No session needed (the gateway routes `/api/public/invoices/*` here public and rate-limits it). */
export function publicInvoiceRoutes(deps: InvoicePdfDeps): PublicRoute[] {
  return [
    {
      method: 'get',
      path: '/api/public/invoices/:publicToken',
      handler: async (req, res) => {
        res.setHeader('cache-control', 'no-store');
        res.setHeader('referrer-policy', 'no-referrer');
        res.json(await getPublicInvoice(deps, String(req.params.publicToken), viewerOf(res)));
      },
    },
    {
      method: 'get',
      path: '/api/public/invoices/:publicToken/pdf',
      handler: async (req, res) => {
        res.setHeader('referrer-policy', 'no-referrer');
        sendPdf(res, await getPublicInvoicePdf(deps, String(req.params.publicToken), viewerOf(res)), 'attachment');
      },
    },
  ];
}
