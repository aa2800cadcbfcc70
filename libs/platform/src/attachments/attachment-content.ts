import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Response } from 'express';
import { isInlinePreviewable } from '@atelier/contracts';
import type { AttachmentRow } from './attachment-table.js';
import { contentDisposition } from './file-names.js';

/** Nothing in a downloaded file may run, load or frame anything in our origin, even if a browser renders it. */
const DOWNLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'";
/** An image preview: shown on its own, sandboxed, scripts impossible; framable by the app only. */
const IMAGE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
/**
 * A PDF preview: the browser's PDF viewer renders it (a PDF's scripts run in the viewer, never in
 * the page's origin); `sandbox` would stop Chromium's viewer from loading at all.
 */
const PDF_CSP = "default-src 'none'; object-src 'self'; frame-ancestors 'self'";

/**
 * Sends an attachment's bytes. A download is `Content-Disposition: attachment` with a safe name,
 * typed `application/octet-stream` unless it is a previewable image or PDF, `nosniff`, and a
 * sandboxing CSP: an uploaded HTML or SVG file is never rendered as a page of our origin. An
 * inline preview (`inline`) is offered for PNG, JPEG, GIF, WebP and PDF only, as their sniffed type.
 */
export async function sendAttachmentContent(res: Response, row: AttachmentRow, body: Readable, inline: boolean): Promise<void> {
  const previewable = isInlinePreviewable(row.contentType);
  const asInline = inline && previewable;
  res.status(200);
  res.setHeader('Content-Type', previewable ? row.contentType : 'application/octet-stream');
  res.setHeader('Content-Length', String(row.size));
  res.setHeader('Content-Disposition', contentDisposition(asInline ? 'inline' : 'attachment', row.fileName));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', asInline ? (row.contentType === 'application/pdf' ? PDF_CSP : IMAGE_CSP) : DOWNLOAD_CSP);
  res.setHeader('X-Frame-Options', asInline ? 'SAMEORIGIN' : 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('ETag', `"${row.sha256}"`);
  try {
    await pipeline(body, res);
  } catch {
    // The client went away, or the store failed midway: the length promised cannot be kept, so the
    // connection is cut rather than ending a short body as if complete.
    res.destroy();
  }
}
