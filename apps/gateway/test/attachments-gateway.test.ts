import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAttachmentId } from '@atelier/contracts';
import { ORIGIN, signUp, startStack, type Browser, type Stack } from './gateway-harness.js';

let stack: Stack;
let owner: Browser;
let other: Browser;

beforeAll(async () => {
  stack = await startStack();
  owner = (await signUp(stack.url, 'Attachments A')).browser;
  other = (await signUp(stack.url, 'Attachments B')).browser;
});
afterAll(async () => {
  await stack?.stop();
});

const upload = async (who: Browser, path: string, bytes: Buffer, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const res = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { cookie: who.cookie, origin: ORIGIN }, body: form });
  return { status: res.status, body: (await res.json()) as { id: string; contentType: string } };
};
const fetchAs = (who: Browser, path: string) => fetch(`${stack.url}${path}`, { headers: { cookie: who.cookie, 'accept-encoding': 'gzip, br' } });

describe('attachments through the gateway', () => {
  it("streams an upload to crm, and the download keeps crm's sandboxing headers, uncompressed", async () => {
    const clientId = (await owner.post('/api/clients', { name: 'ACME Files' })).body.id as string;
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>parent.document.title="x"</script></svg>');
    const up = await upload(owner, `/api/clients/${clientId}/attachments`, svg, 'logo.svg');
    expect(up.status).toBe(201);
    expect(up.body.contentType).toBe('image/svg+xml');

    const res = await fetchAs(owner, `/api/attachments/${up.body.id}/content?inline=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="logo.svg"/);
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer())).toEqual(svg);

    expect((await owner.get(`/api/clients/${clientId}/attachments`)).body.total).toBe(1);
    expect((await owner.get(`/api/attachments/${up.body.id}`)).body.id).toBe(up.body.id);
    // Another agency, an id of no service and an unknown crm id: all 404.
    expect((await fetchAs(other, `/api/attachments/${up.body.id}/content`)).status).toBe(404);
    expect((await other.get(`/api/attachments/${up.body.id}`)).status).toBe(404);
    expect((await owner.get(`/api/attachments/${randomUUID()}`)).status).toBe(404);
    expect((await owner.get(`/api/attachments/${newAttachmentId('crm')}`)).body.code).toBe('attachment.not_found');
    expect((await owner.delete(`/api/attachments/${up.body.id}`)).status).toBe(204);
  });
});
