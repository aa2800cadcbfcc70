import type { PublicInvoice } from '@atelier/contracts';
import { notFoundError, tenantTx, transactionNow, writeEvent, type Principal, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { invoicingSettingsOf } from '../invoicing-settings/invoicing-settings-service.js';
import { invoiceStatePayload } from '../invoices/invoice-events.js';
import { tokenHash } from '../invoices/invoice-links.js';
import { insertStatusChange, selectInvoice, selectLines, updateInvoiceRow, type InvoiceRow } from '../invoices/invoice-repository.js';
import { billToOf } from '../invoice-pdf/invoice-pdf-mapper.js';
import { selectAgency, selectClient } from '../invoice-pdf/invoice-pdf-repository.js';
import { openPdf, pdfSourceOf, type InvoicePdf, type InvoicePdfDeps } from '../invoice-pdf/invoice-pdf-service.js';
import { toPublicInvoice } from './public-invoice-mapper.js';
import { findByTokenHash } from './public-invoice-repository.js';

const notFound = () => notFoundError('invoice.not_found', 'Invoice not found');

/** Tokens are 256-bit base64url (43 characters); anything else is looked up nowhere. */
const TOKEN = /^[A-Za-z0-9_-]{22,128}$/;

/**
 * Who is looking: the client (no session), or a member of the invoice's own agency previewing
 * the page (the gateway forwards the session on `/api/public/invoices/*` when there is one). A
 * member of another agency is a client like any other.
 */
export type Viewer = Principal | null;

async function locate(deps: Pick<InvoicePdfDeps, 'db'>, token: string) {
  if (!TOKEN.test(token)) throw notFound();
  const found = await tenantTx(deps.db, null, (tx) => findByTokenHash(tx, tokenHash(token)), { mode: 'snapshot' });
  if (!found) throw notFound();
  return found;
}

/**
 * The first view by the client: `viewedAt`, `sent` → `viewed` (a later status such as overdue or
 * partially paid stays), history and `billing.invoice.viewed.v1`. Staff previews never count.
 */
async function recordView(tx: Tx, row: InvoiceRow, viewer: Viewer): Promise<InvoiceRow> {
  if (row.viewedAt !== null || viewer?.agencyId === row.agencyId) return row;
  const locked = await selectInvoice(tx, row.id, 'update');
  if (!locked || locked.viewedAt !== null || locked.status === 'void' || locked.status === 'draft') return locked ?? row;
  const now = await transactionNow(tx);
  const status = locked.status === 'sent' ? 'viewed' : locked.status;
  const saved = await updateInvoiceRow(tx, row.id, { viewedAt: now, status });
  if (status !== locked.status) await insertStatusChange(tx, { agencyId: row.agencyId, invoiceId: row.id, status, actorId: null });
  await writeEvent(tx, outbox, { name: 'billing.invoice.viewed.v1', agencyId: row.agencyId, actorId: null, payload: { ...invoiceStatePayload(saved), viewedAt: now.toISOString() } });
  return saved;
}

async function openInvoice(tx: Tx, invoiceId: string): Promise<InvoiceRow> {
  const row = await selectInvoice(tx, invoiceId);
  // Voided between the lookup and now, or never issued: the same 404 as an unknown token.
  if (!row || row.status === 'void' || row.status === 'draft') throw notFound();
  return row;
}

/** GET /api/public/invoices/:token */
export async function getPublicInvoice(deps: Pick<InvoicePdfDeps, 'db'>, token: string, viewer: Viewer): Promise<PublicInvoice> {
  const found = await locate(deps, token);
  return tenantTx(deps.db, found.agencyId, async (tx) => {
    const row = await recordView(tx, await openInvoice(tx, found.invoiceId), viewer);
    const [lines, agency, client, settings] = await Promise.all([selectLines(tx, [row.id]), selectAgency(tx, row.agencyId), selectClient(tx, row.clientId), invoicingSettingsOf(tx)]);
    return toPublicInvoice(row, lines, agency, billToOf(row, client), settings.footer, `/api/public/invoices/${token}/pdf`);
  });
}

/** GET /api/public/invoices/:token/pdf: the PDF stored at send (a download is a view too). */
export async function getPublicInvoicePdf(deps: InvoicePdfDeps, token: string, viewer: Viewer): Promise<InvoicePdf> {
  const found = await locate(deps, token);
  const source = await tenantTx(deps.db, found.agencyId, async (tx) => pdfSourceOf(tx, deps, await recordView(tx, await openInvoice(tx, found.invoiceId), viewer)));
  return openPdf(deps, source);
}
