import type { InternalAudience } from '../auth/internal-token.js';
import { INTERNAL_TOKEN_HEADER, signInternalToken } from '../auth/internal-token.js';
import type { TestPrincipal } from './service-harness.js';
import { TEST_INTERNAL_SECRET } from './test-database.js';

export interface FileAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Uploads and downloads straight to a service, as the gateway forwards them (`aud`: the service). */
export function fileClient(baseUrl: string, aud: InternalAudience) {
  const authHeader = (who: TestPrincipal) => ({ [INTERNAL_TOKEN_HEADER]: signInternalToken(TEST_INTERNAL_SECRET, { ...who, aud }) });
  return {
    authHeader,
    /** POST a file as multipart part `file`, as a browser's upload. */
    async upload(who: TestPrincipal, path: string, file: Buffer | Blob, fileName: string, declaredType = 'application/octet-stream'): Promise<FileAnswer> {
      const form = new FormData();
      form.append('file', file instanceof Blob ? file : new Blob([new Uint8Array(file)], { type: declaredType }), fileName);
      const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: authHeader(who), body: form });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body };
    },
    /** The bytes and headers of `GET /api/attachments/:id/content`. */
    async download(who: TestPrincipal, id: string, query = ''): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
      const res = await fetch(`${baseUrl}/api/attachments/${id}/content${query}`, { headers: authHeader(who) });
      return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
    },
  };
}

/** Sample files whose type is known from their bytes. */
export const sampleFiles = {
  /** A whole 1×1 PNG. */
  png: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082', 'hex'),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'),
  html: Buffer.from('<!doctype html><html><body><script>document.title = "pwned"</script></body></html>'),
  svg: Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'),
};

/**
 * The blob grace tests run with: short, so collection tests are quick, but never zero, because a
 * collection that runs between an upload's blob and its attachment row would take the blob.
 */
export const TEST_BLOB_GRACE_MS = 1_500;
