import { createHash, createHmac } from 'node:crypto';

/**
 * The public page's token is never stored in clear. It is HMAC-SHA256(server secret, invoice id),
 * 256 bits, base64url: unguessable without the secret, and derivable again whenever the invoice
 * is shown, so `publicUrl` appears on every read after issue while the database holds only the
 * token's SHA-256 (the lookup key of `/api/public/invoices/:token`). Rotating
 * `INVOICE_TOKEN_SECRET` changes every link; the stored hashes would then have to be rewritten.
 */
export interface InvoiceLinks {
  /** The web app's origin the links name (`/i/<token>`). */
  origin: string;
  secret: string;
}

let configured: InvoiceLinks | null = null;
/** Tokens derived lately: a list page shows fifty links, and the same invoices again on the next read. */
const tokens = new Map<string, string>();
const REMEMBERED_TOKENS = 10_000;

/** Set once when the service is built (from PUBLIC_ORIGIN and INVOICE_TOKEN_SECRET). */
export function useInvoiceLinks(links: InvoiceLinks): void {
  configured = { origin: links.origin.replace(/\/+$/, ''), secret: links.secret };
  tokens.clear();
}

function links(): InvoiceLinks {
  if (!configured) throw new Error('invoice links are not configured (useInvoiceLinks)');
  return configured;
}

export const publicTokenOf = (invoiceId: string): string => {
  let token = tokens.get(invoiceId);
  if (token === undefined) {
    token = createHmac('sha256', links().secret).update(`invoice-public-token:${invoiceId}`).digest('base64url');
    if (tokens.size >= REMEMBERED_TOKENS) tokens.delete(tokens.keys().next().value!);
    tokens.set(invoiceId, token);
  }
  return token;
};

export const tokenHash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export const publicUrlOf = (token: string): string => `${links().origin}/i/${token}`;
