import { createHash, randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentOwner } from '@atelier/contracts';
import { newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import type { CrmHarness } from './crm-harness.js';
import { authHeader, download, HTML, PDF, PNG, startCrmForAttachments, SVG, uploadAttachment } from './attachment-helpers.js';

const MB = 1024 * 1024;
let h: CrmHarness;
let sql: postgres.Sql;
const owner = newPrincipal('owner');
const manager = newPrincipal('manager', owner.agencyId);
const marta = newPrincipal('member', owner.agencyId);
const otherMember = newPrincipal('member', owner.agencyId);
const stranger = newPrincipal('owner');
const api = (who = owner) => serviceClient(h.url, who);

beforeAll(async () => {
  // Small limits so the tests stay small: 1 MB a file, 2.5 MB an agency.
  h = await startCrmForAttachments({ ATTACHMENT_MAX_BYTES: String(MB), ATTACHMENT_QUOTA_BYTES: String(2.5 * MB) });
  sql = postgres(h.db.ownerUrl, { max: 2, onnotice: () => {} });
  await sql`insert into crm.member_names (id, agency_id, user_id, name, version) values (${randomUUID()}, ${owner.agencyId}, ${marta.userId}, 'Marta', 1)`;
});
afterAll(async () => {
  await sql?.end();
  await stopTestService(h.service);
  await h.db.drop();
});

const newClient = async (name = `ACME ${randomUUID().slice(0, 6)}`, who = owner) => (await api(who)('POST', '/api/clients', { name })).body.id as string;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Sends only the head of an upload that declares `bytes`, and returns the answer's head. */
const declaredOnly = (path: string, bytes: number) =>
  new Promise<string>((resolve, reject) => {
    const url = new URL(h.url);
    const socket = net.connect(Number(url.port), url.hostname);
    const token = Object.entries(authHeader(owner)).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.on('connect', () => socket.write(`POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\n${token}content-type: multipart/form-data; boundary=x\r\ncontent-length: ${bytes}\r\n\r\n`));
    let head = '';
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(head);
      }
    });
    socket.on('error', reject);
  });
const blobCount = async (agencyId: string) => Number((await sql<{ n: string }[]>`select count(*) as n from crm.blobs where agency_id = ${agencyId}`)[0]?.n);

describe('client attachments', () => {
  it('uploads, lists with uploader, size, type and date, and downloads byte for byte as an attachment', async () => {
    const clientId = await newClient('ACME Uploads');
    const bytes = Buffer.concat([PNG, randomBytes(200_000)]);
    // The declared type is a lie: the bytes decide.
    const up = await uploadAttachment(h.url, marta, `/api/clients/${clientId}/attachments`, bytes, 'Mock-ups.png', 'text/html');
    expect(up.status).toBe(201);
    expect(up.headers.get('location')).toBe(`/api/attachments/${up.body.id}`);
    expect(up.body).toMatchObject({
      parentKind: 'client',
      parentId: clientId,
      clientId,
      fileName: 'Mock-ups.png',
      size: bytes.length,
      contentType: 'image/png',
      sha256: sha(bytes),
      uploadedBy: marta.userId,
      uploaderName: 'Marta',
      contentUrl: `/api/attachments/${up.body.id}/content`,
      previewUrl: `/api/attachments/${up.body.id}/content?inline=1`,
    });
    expect(attachmentOwner(up.body.id)).toBe('crm');

    const list = await api(marta)('GET', `/api/clients/${clientId}/attachments`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, nextCursor: null });
    expect(list.body.data[0]).toEqual(up.body);
    expect((await api()('GET', `/api/attachments/${up.body.id}`)).body).toEqual(up.body);

    const got = await download(h.url, owner, up.body.id);
    expect(got.status).toBe(200);
    expect(sha(got.bytes)).toBe(sha(bytes));
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="Mock-ups.png"; filename*=UTF-8''Mock-ups.png`);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(got.headers.get('content-length')).toBe(String(bytes.length));

    const inline = await download(h.url, owner, up.body.id, '?inline=1');
    expect(inline.headers.get('content-type')).toBe('image/png');
    expect(inline.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(inline.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'; img-src 'self'/);
    expect(inline.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('pages newest first with a cursor', async () => {
    const clientId = await newClient();
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await uploadAttachment(h.url, owner, `/api/clients/${clientId}/attachments`, Buffer.from(`file ${n}`), `f${n}.txt`)).body.id);
    const first = await api()('GET', `/api/clients/${clientId}/attachments?limit=2`);
    expect(first.body.data.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
    const second = await api()('GET', `/api/clients/${clientId}/attachments?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ total: 3, nextCursor: null });
    expect(second.body.data.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
    expect((await api()('GET', `/api/clients/${clientId}/attachments?cursor=bogus`)).body.code).toBe('list.invalid_cursor');
    for (const id of ids) expect((await api()('DELETE', `/api/attachments/${id}`)).status).toBe(204);
  });

  it('sniffs the type from the bytes: HTML and SVG are never previewable and download as octet-stream in a sandbox; PDFs preview', async () => {
    const clientId = await newClient();
    const path = `/api/clients/${clientId}/attachments`;
    const html = await uploadAttachment(h.url, owner, path, HTML, 'cat.png', 'image/png');
    const svg = await uploadAttachment(h.url, owner, path, SVG, 'logo.svg', 'image/svg+xml');
    const pdf = await uploadAttachment(h.url, owner, path, PDF, 'brief.pdf', 'text/plain');
    const text = await uploadAttachment(h.url, owner, path, Buffer.from('just notes\n'), 'notes.txt');
    expect([html.body.contentType, svg.body.contentType, pdf.body.contentType, text.body.contentType]).toEqual(['text/html', 'image/svg+xml', 'application/pdf', 'text/plain']);
    expect([html.body.previewUrl, svg.body.previewUrl, text.body.previewUrl]).toEqual([null, null, null]);
    expect(pdf.body.previewUrl).toBe(`/api/attachments/${pdf.body.id}/content?inline=1`);

    for (const id of [html.body.id, svg.body.id]) {
      // Asking for inline changes nothing for a type that could run script.
      const got = await download(h.url, owner, id, '?inline=1');
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(got.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(got.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'; frame-ancestors 'none'");
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const pdfInline = await download(h.url, owner, pdf.body.id, '?inline=1');
    expect(pdfInline.headers.get('content-type')).toBe('application/pdf');
    expect(pdfInline.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(pdfInline.headers.get('content-security-policy')).toBe("default-src 'none'; object-src 'self'; frame-ancestors 'self'");
  });

  it('keeps a safe file name: no path, no control or direction characters, and an ASCII fallback in the header', async () => {
    const clientId = await newClient();
    const up = await uploadAttachment(h.url, owner, `/api/clients/${clientId}/attachments`, Buffer.from('x'), '../../etc/Ang\u202ebot été; x.txt');
    expect(up.body.fileName).toBe('Angbot été; x.txt');
    const got = await download(h.url, owner, up.body.id);
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="Angbot ete_ x.txt"; filename*=UTF-8''Angbot%20%C3%A9t%C3%A9%3B%20x.txt`);
  });

  it('refuses a file over the size limit with 413 while streaming, and keeps nothing', async () => {
    const clientId = await newClient();
    const path = `/api/clients/${clientId}/attachments`;
    const who = newPrincipal('owner');
    const clientOfWho = await newClient('Big files', who);
    const tooBig = await uploadAttachment(h.url, who, `/api/clients/${clientOfWho}/attachments`, randomBytes(MB + 1), 'big.bin');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ code: 'attachment.file_too_large', errors: [{ path: 'file', message: 'is too large' }] });
    expect(await blobCount(who.agencyId)).toBe(0);
    // Declared far too large: refused before reading any of it, and the connection closed.
    expect(await declaredOnly(path, 10 * MB)).toMatch(/^HTTP\/1\.1 413 [\s\S]*connection: close/i);
    const exact = await uploadAttachment(h.url, who, `/api/clients/${clientOfWho}/attachments`, randomBytes(MB), 'exact.bin');
    expect(exact.status).toBe(201);
    expect(await blobCount(who.agencyId)).toBe(1);
  });

  it("refuses a file past the agency's quota with 409 and a clear message, and deletes what it stored", async () => {
    const who = newPrincipal('owner');
    const clientId = await newClient('Quota', who);
    const path = `/api/clients/${clientId}/attachments`;
    expect((await uploadAttachment(h.url, who, path, randomBytes(MB), 'one.bin')).status).toBe(201);
    expect((await uploadAttachment(h.url, who, path, randomBytes(MB), 'two.bin')).status).toBe(201);
    const third = await uploadAttachment(h.url, who, path, randomBytes(MB), 'three.bin');
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('attachment.quota_exceeded');
    expect(third.body.detail).toBe("The agency's attachments use 2.0 MB of 2.5 MB; this file (1.0 MB) does not fit. Remove attachments to make room.");
    expect(await blobCount(who.agencyId)).toBe(2);
    // Each change published crm's usage as a versioned snapshot; the refused file changed nothing.
    const usage = await sql<{ payload: unknown }[]>`select envelope->'payload' as payload from crm.outbox where agency_id = ${who.agencyId} and name = 'crm.attachment.usage.v1' order by seq`;
    expect(usage.map((u) => u.payload)).toEqual([
      { owner: 'crm', bytes: MB, version: 1 },
      { owner: 'crm', bytes: 2 * MB, version: 2 },
    ]);
    expect(await sql`select owner, bytes::int, version::int from crm.attachment_usage where agency_id = ${who.agencyId}`).toEqual([{ owner: 'crm', bytes: 2 * MB, version: 2 }]);
    // Another agency has its own quota.
    const other = newPrincipal('owner');
    expect((await uploadAttachment(h.url, other, `/api/clients/${await newClient('Other', other)}/attachments`, randomBytes(MB), 'one.bin')).status).toBe(201);
  });

  it('answers 415 to a body that is not multipart and 400 to an upload without a file or with an empty one', async () => {
    const clientId = await newClient();
    const path = `/api/clients/${clientId}/attachments`;
    const json = await api()('POST', path, { file: 'x' });
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('attachment.not_multipart');
    const form = new FormData();
    form.append('note', 'no file');
    const noFile = await fetch(`${h.url}${path}`, { method: 'POST', headers: authHeader(owner), body: form });
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toMatchObject({ code: 'attachment.invalid_upload', errors: [{ path: 'file', message: 'is required' }] });
    const empty = await uploadAttachment(h.url, owner, path, Buffer.alloc(0), 'empty.txt');
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: 'file', message: 'is empty' }]);
  });

  it("is 404 on every route for another agency's client or attachment, and for a malformed id", async () => {
    const clientId = await newClient();
    const up = await uploadAttachment(h.url, owner, `/api/clients/${clientId}/attachments`, PNG, 'p.png');
    const them = api(stranger);
    expect((await them('GET', `/api/clients/${clientId}/attachments`)).status).toBe(404);
    expect((await uploadAttachment(h.url, stranger, `/api/clients/${clientId}/attachments`, PNG, 'p.png')).status).toBe(404);
    expect((await them('GET', `/api/attachments/${up.body.id}`)).body.code).toBe('attachment.not_found');
    expect((await them('DELETE', `/api/attachments/${up.body.id}`)).status).toBe(404);
    expect((await download(h.url, stranger, up.body.id)).status).toBe(404);
    expect((await api()('GET', '/api/attachments/not-a-uuid')).status).toBe(404);
    expect((await api()('GET', `/api/attachments/${randomUUID()}/content`)).status).toBe(404);
    expect((await api()('GET', `/api/attachments/${up.body.id}`)).status).toBe(200);
  });

  it('lets the uploader or a manager remove an attachment, not another member (403), and says so on the timeline', async () => {
    const clientId = await newClient('ACME Timeline');
    const path = `/api/clients/${clientId}/attachments`;
    const mine = await uploadAttachment(h.url, marta, path, PDF, 'Mock-ups.pdf');
    const theirs = await uploadAttachment(h.url, marta, path, PNG, 'shot.png');
    const forbidden = await api(otherMember)('DELETE', `/api/attachments/${mine.body.id}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('attachment.not_uploader');
    expect((await api(marta)('DELETE', `/api/attachments/${mine.body.id}`)).status).toBe(204);
    expect((await api(manager)('DELETE', `/api/attachments/${theirs.body.id}`)).status).toBe(204);
    expect((await api()('GET', `/api/attachments/${mine.body.id}`)).status).toBe(404);
    expect((await api()('GET', path)).body.total).toBe(0);

    const titles = await waitFor(async () => {
      const t = await api()('GET', `/api/timeline?clientId=${clientId}`);
      return t.body.total === 5 ? (t.body.data as { title: string; type: string; entity: { kind: string } }[]) : undefined;
    });
    expect(titles.map((e) => e.title)).toEqual([
      'shot.png removed from ACME Timeline',
      'Mock-ups.pdf removed from ACME Timeline by Marta',
      'shot.png added to ACME Timeline by Marta',
      'Mock-ups.pdf added to ACME Timeline by Marta',
      'Client ACME Timeline created',
    ]);
    expect(titles[0]?.entity.kind).toBe('attachment');
  });

  it("takes a deleted client's attachments with it, and the kit job removes their blobs", async () => {
    const who = newPrincipal('owner');
    const clientId = await newClient('Going away', who);
    const keep = await newClient('Staying', who);
    const gone = await uploadAttachment(h.url, who, `/api/clients/${clientId}/attachments`, PNG, 'a.png');
    await uploadAttachment(h.url, who, `/api/clients/${clientId}/attachments`, PDF, 'b.pdf');
    const kept = await uploadAttachment(h.url, who, `/api/clients/${keep}/attachments`, PDF, 'c.pdf');
    expect(await blobCount(who.agencyId)).toBe(3);
    expect((await api(who)('DELETE', `/api/clients/${clientId}`)).status).toBe(204);
    expect((await api(who)('GET', `/api/attachments/${gone.body.id}`)).status).toBe(404);
    expect((await download(h.url, who, gone.body.id)).status).toBe(404);
    await waitFor(async () => ((await blobCount(who.agencyId)) === 1 ? true : undefined), 20_000);
    expect(Number((await sql<{ n: string }[]>`select count(*) as n from crm.blob_chunks where agency_id = ${who.agencyId}`)[0]?.n)).toBe(1);
    expect((await download(h.url, who, kept.body.id)).bytes).toEqual(PDF);
  });
});
