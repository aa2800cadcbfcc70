import type { Response } from 'express';
import { Router } from 'express';
import { principalOf, uuidParam } from '@atelier/platform';
import { getInvoicePdf, type InvoicePdf, type InvoicePdfDeps } from './invoice-pdf-service.js';

/** Streams a PDF with its SHA-256 as the ETag (a stored PDF's never changes). */
export function sendPdf(res: Response, pdf: InvoicePdf, disposition: 'inline' | 'attachment' = 'inline'): void {
  res.status(200);
  res.setHeader('content-type', 'application/pdf');
  res.setHeader('content-length', String(pdf.size));
  res.setHeader('content-disposition', `${disposition}; filename="${pdf.filename}"`);
  res.setHeader('etag', `"${pdf.sha256}"`);
  res.setHeader('cache-control', 'private, no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  // Inline, the invoice page shows this very file in an <iframe> of our own origin (the kit's
  // default denies every framing); no other site may frame it, and a PDF runs no script here.
  if (disposition === 'inline') {
    res.setHeader('x-frame-options', 'SAMEORIGIN');
    res.setHeader('content-security-policy', "default-src 'none'; object-src 'self'; frame-ancestors 'self'");
  }
  pdf.body.on('error', () => res.destroy());
  pdf.body.pipe(res);
}

export function invoicePdfRoutes(deps: InvoicePdfDeps): Router {
  const r = Router();
  r.get('/api/invoices/:id/pdf', async (req, res) => {
    sendPdf(res, await getInvoicePdf(deps, principalOf(res), uuidParam(req.params)));
  });
  return r;
}
