import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { tenantTx, type BlobStore, type Db, type Principal, type Tx } from '@atelier/platform';
import { invoicingSettingsOf } from '../invoicing-settings/invoicing-settings-service.js';
import { selectLines, type InvoiceRow } from '../invoices/invoice-repository.js';
import { publicLinkOf, requireInvoice, requireInvoiceRole } from '../invoices/invoice-service.js';
import type { PdfRenderer } from '../pdf/pdf-renderer.js';
import { billToOf, pdfFilenameOf, toInvoiceDocument } from './invoice-pdf-mapper.js';
import { insertStoredDocument, selectAgency, selectClient, selectStoredDocument } from './invoice-pdf-repository.js';

export interface InvoicePdfDeps {
  db: Db;
  pdf: PdfRenderer;
  blobs: BlobStore;
}

/** A sent PDF is a few hundred kB at most; a 1,000-line invoice stays far below this. */
const MAX_PDF_BYTES = 25 * 1024 * 1024;

export interface InvoicePdf {
  filename: string;
  /** Hex SHA-256 of the bytes (the stored one's, for a sent invoice). */
  sha256: string;
  /** Whether these are the bytes stored at send (else rendered for this request: a draft's preview). */
  stored: boolean;
  body: Readable;
  size: number;
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Renders the invoice as it is in this transaction: the one renderer, for the preview and for the PDF stored at send. */
export async function renderInvoicePdf(tx: Tx, deps: Pick<InvoicePdfDeps, 'pdf'>, row: InvoiceRow): Promise<Buffer> {
  const [lines, agency, client, settings] = await Promise.all([selectLines(tx, [row.id]), selectAgency(tx, row.agencyId), selectClient(tx, row.clientId), invoicingSettingsOf(tx)]);
  const publicUrl = row.status === 'draft' ? null : publicLinkOf(row.id).publicUrl;
  return deps.pdf.render(toInvoiceDocument({ row, lines, agency, billTo: billToOf(row, client), settings, publicUrl }));
}

/**
 * The PDF of an issued invoice as it is stored from its first send on: rendered and put into the
 * blob store once, its row (`invoice_documents`, which keeps the blob alive) written in the
 * caller's transaction. The caller holds the invoice's row lock, so two sends store one PDF; a
 * rollback leaves an unreferenced blob the kit collects after its grace.
 */
export async function ensureStoredPdf(tx: Tx, deps: Pick<InvoicePdfDeps, 'pdf' | 'blobs'>, row: InvoiceRow): Promise<{ blobId: string; sha256: string; filename: string }> {
  const existing = await selectStoredDocument(tx, row.id);
  if (existing) return { blobId: existing.blobId, sha256: existing.sha256, filename: pdfFilenameOf(row) };
  const bytes = await renderInvoicePdf(tx, deps, row);
  const blob = await deps.blobs.put(row.agencyId, Readable.from([bytes]), { maxBytes: MAX_PDF_BYTES });
  await insertStoredDocument(tx, { invoiceId: row.id, agencyId: row.agencyId, blobId: blob.id, sha256: blob.sha256, size: blob.size });
  return { blobId: blob.id, sha256: blob.sha256, filename: pdfFilenameOf(row) };
}

/**
 * Step one of serving an invoice's PDF, inside the caller's transaction: the stored PDF's row
 * (read after the transaction, so a request never holds one connection while it waits for
 * another), or the invoice rendered now (a draft, or issued but never sent) with the
 * transaction's own connection.
 */
export async function pdfSourceOf(tx: Tx, deps: Pick<InvoicePdfDeps, 'pdf'>, row: InvoiceRow): Promise<PdfSource> {
  const filename = pdfFilenameOf(row);
  const stored = await selectStoredDocument(tx, row.id);
  if (stored) return { kind: 'stored', filename, agencyId: row.agencyId, blobId: stored.blobId, sha256: stored.sha256 };
  const bytes = await renderInvoicePdf(tx, deps, row);
  return { kind: 'rendered', filename, bytes };
}

export type PdfSource = { kind: 'stored'; filename: string; agencyId: string; blobId: string; sha256: string } | { kind: 'rendered'; filename: string; bytes: Buffer };

/** Step two, after the transaction: the bytes as a stream with their SHA-256. */
export async function openPdf(deps: Pick<InvoicePdfDeps, 'blobs'>, source: PdfSource): Promise<InvoicePdf> {
  if (source.kind === 'rendered') return { filename: source.filename, sha256: sha256Of(source.bytes), stored: false, body: Readable.from([source.bytes]), size: source.bytes.length };
  const blob = await deps.blobs.get(source.agencyId, source.blobId);
  // The row keeps its blob alive (a declared reference): a missing one is a broken store, not a 404.
  if (!blob) throw new Error(`invoice PDF blob ${source.blobId} is not stored`);
  return { filename: source.filename, sha256: source.sha256, stored: true, body: blob.body, size: blob.info.size };
}

/** GET /api/invoices/:id/pdf: any status; a draft is marked DRAFT by the template. */
export async function getInvoicePdf(deps: InvoicePdfDeps, who: Principal, id: string): Promise<InvoicePdf> {
  requireInvoiceRole(who);
  const source = await tenantTx(deps.db, who.agencyId, async (tx) => pdfSourceOf(tx, deps, await requireInvoice(tx, id)), { mode: 'snapshot' });
  return openPdf(deps, source);
}
