import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';
import { upload } from './import-test-helpers.js';

let h: CrmHarness;
let owner: postgres.Sql;
let dir: string;
const who = newPrincipal('owner');
const api = () => serviceClient(h.url, who);

beforeAll(async () => {
  h = await startCrm();
  owner = postgres(h.db.ownerUrl, { max: 2, onnotice: () => {} });
  dir = await mkdtemp(path.join(tmpdir(), 'atelier-import-'));
});
afterAll(async () => {
  await owner.end();
  await stopTestService(h.service);
  await h.db.drop();
  await rm(dir, { recursive: true, force: true });
});

const MB = 1024 * 1024;
const storedChunks = async (agencyId: string) => Number((await owner<{ n: string }[]>`select count(*) as n from crm.import_file_chunks where agency_id = ${agencyId}`)[0]?.n);

/** Writes a CSV of exactly `bytes` bytes to disk, streaming (never the whole file in memory). */
async function writeCsvOfSize(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  const header = 'name,email,city\n';
  const row = Buffer.from('Some Company With A Long Name,someone@example.test,Berlin\n');
  out.write(header);
  let written = header.length;
  const block = Buffer.concat(Array.from({ length: 1000 }, () => row));
  while (written + block.length <= bytes) {
    if (!out.write(block)) await once(out, 'drain');
    written += block.length;
  }
  while (written + row.length <= bytes) {
    out.write(row);
    written += row.length;
  }
  out.write(Buffer.alloc(bytes - written, 'x')); // pad the last line to the exact size
  out.end();
  await once(out, 'finish');
}

describe('POST /api/imports: reading the file', () => {
  it('reads a UTF-8 BOM + semicolon file: delimiter, columns, suggested mapping and a validated preview', async () => {
    const csv = '\ufeffCompany;E-mail;Zip;Country;Currency\r\nACME GmbH;Info@ACME.test;10115;de;eur\r\n"Beta; Co";not-an-email;;Germany;EURO\r\n';
    const res = await upload(h.url, who, { entity: 'clients', file: csv, fileName: 'clients.csv' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/imports/${res.body.id}`);
    expect(res.body).toMatchObject({
      entity: 'clients',
      status: 'uploaded',
      delimiter: ';',
      columns: ['Company', 'E-mail', 'Zip', 'Country', 'Currency'],
      suggestedMapping: { Company: 'name', 'E-mail': 'email', Zip: 'postalCode', Country: 'country', Currency: 'currency' },
    });
    expect(res.body.preview).toEqual([
      { row: 1, values: { Company: 'ACME GmbH', 'E-mail': 'Info@ACME.test', Zip: '10115', Country: 'de', Currency: 'eur' }, action: 'create', errors: [] },
      {
        row: 2,
        values: { Company: 'Beta; Co', 'E-mail': 'not-an-email', Zip: '', Country: 'Germany', Currency: 'EURO' },
        action: 'error',
        errors: [
          'email: "not-an-email" is not a valid email address',
          'country: "Germany" is not a 2-letter ISO 3166-1 country code',
          'currency: "EURO" is not a 3-letter ISO 4217 currency code',
        ],
      },
    ]);
    const [job] = await owner`select total, file_name, file_size from crm.import_jobs where id = ${res.body.id}`;
    expect(job).toMatchObject({ total: 2, file_name: 'clients.csv', file_size: String(Buffer.byteLength(csv)) });
  });

  it('detects tab-delimited files and keeps quoted fields with embedded newlines, quotes and delimiters', async () => {
    const csv = 'First Name\tLast_Name\tCompany\tNotes\n"Ann\nMarie"\t"O""Brien"\tACME\t"a\tb"\n\nBob\tSmith\tACME\tx\n';
    const res = await upload(h.url, who, { entity: 'contacts', file: csv });
    expect(res.status).toBe(201);
    expect(res.body.delimiter).toBe('\t');
    expect(res.body.columns).toEqual(['First Name', 'Last_Name', 'Company', 'Notes']);
    expect(res.body.suggestedMapping).toEqual({ 'First Name': 'firstName', Last_Name: 'lastName', Company: 'clientName' });
    // The blank line is row 2: numbered like the spreadsheet shows it, but not a row to import.
    expect(res.body.preview.map((p: { row: number; values: Record<string, string> }) => [p.row, p.values['First Name'], p.values.Last_Name, p.values.Notes])).toEqual([
      [1, 'Ann\nMarie', 'O"Brien', 'a\tb'],
      [3, 'Bob', 'Smith', 'x'],
    ]);
    // No client named ACME in this agency yet: the preview says so.
    expect(res.body.preview[0].errors).toEqual(['clientName: no client is named "ACME"']);
  });

  it('strips the formula-protection prefix of cells (as our exports write them) in the preview', async () => {
    const csv = "name,phone,taxId\n'=Evil Corp,'+49 30 1234,'-42\nPlain,'quoted',x\n";
    const res = await upload(h.url, who, { entity: 'clients', file: csv });
    expect(res.status).toBe(201);
    expect(res.body.preview.map((p: { values: Record<string, string> }) => p.values)).toEqual([
      { name: '=Evil Corp', phone: '+49 30 1234', taxId: '-42' },
      { name: 'Plain', phone: "'quoted'", taxId: 'x' },
    ]);
  });

  it('names blank and repeated header cells so every column can be mapped', async () => {
    const res = await upload(h.url, who, { entity: 'clients', file: 'Name,,Email,email\nA,x,a@x.test,b@x.test\n' });
    expect(res.status).toBe(201);
    expect(res.body.columns).toEqual(['Name', 'Column 2', 'Email', 'email (2)']);
    expect(res.body.suggestedMapping).toEqual({ Name: 'name', Email: 'email' });
  });

  it('rejects an empty file, a file with only blank lines, a binary file, UTF-16 and invalid UTF-8 with 400 on file', async () => {
    const cases: [string, Buffer | string, RegExp][] = [
      ['empty', '', /empty/],
      ['blank lines', '\ufeff\n\n  \n', /no header row/],
      ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), /binary/],
      ['utf-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,email\n', 'utf16le')]), /UTF-16/],
      ['latin-1', Buffer.from('name,city\nCaf\xe9 Lumi\xe8re,Paris\n', 'latin1'), /not UTF-8/],
      ['unclosed quote', 'name,email\n"ACME,a@x.test\nBeta,b@x.test\n', /never closed/],
    ];
    for (const [label, file, message] of cases) {
      const res = await upload(h.url, who, { entity: 'clients', file });
      expect(res.status, label).toBe(400);
      expect(res.headers.get('content-type'), label).toMatch(/application\/problem\+json/);
      expect(res.body.errors, label).toEqual([{ path: 'file', message: expect.stringMatching(message) }]);
    }
    expect(await storedChunks(who.agencyId)).toBeGreaterThan(0); // the good uploads above
    const before = await storedChunks(who.agencyId);
    // A bad byte far into the file (after chunks were stored) is found too, and leaves nothing behind.
    for (const [bad, message] of [
      [Buffer.from([0xc3, 0x28, 0x0a]), /not UTF-8/],
      [Buffer.from('x\u0000y\n'), /binary/],
    ] as const) {
      const late = Buffer.concat([Buffer.from('name\n'), Buffer.alloc(2 * MB, 'a\n'), bad]);
      const res = await upload(h.url, who, { entity: 'clients', file: late });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'file', message: expect.stringMatching(message) }]);
      expect(await storedChunks(who.agencyId)).toBe(before);
    }
  });

  it('400s a missing file or entity (with their paths), 415s another content type, 403s a member', async () => {
    const noFile = await upload(h.url, who, { entity: 'clients' });
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors).toEqual([{ path: 'file', message: 'is required' }]);

    const noEntity = await upload(h.url, who, { file: 'name\nA\n' });
    expect(noEntity.status).toBe(400);
    expect(noEntity.body.errors).toEqual([{ path: 'entity', message: 'is required' }]);

    const badEntity = await upload(h.url, who, { entity: 'projects', file: '' });
    expect(badEntity.status).toBe(400);
    expect(badEntity.body.errors).toEqual([
      { path: 'entity', message: 'must be clients or contacts' },
      { path: 'file', message: 'is empty' },
    ]);

    const json = await api()('POST', '/api/imports', { entity: 'clients', file: 'name\nA\n' });
    expect(json.status).toBe(415);
    const text = await api()('POST', '/api/imports', 'name\nA\n', { 'content-type': 'text/csv' });
    expect(text.status).toBe(415);

    const member = await upload(h.url, newPrincipal('member', who.agencyId), { entity: 'clients', file: 'name\nA\n' });
    expect(member.status).toBe(403);
    for (const role of ['admin', 'manager'] as const) {
      expect((await upload(h.url, newPrincipal(role, who.agencyId), { entity: 'clients', file: 'name\nA\n' })).status).toBe(201);
    }
  });

  it('413s a file of 50 MB + 1 byte, found while streaming, and keeps none of it', { timeout: 120_000 }, async () => {
    const agent = newPrincipal('owner');
    const file = path.join(dir, 'too-large.csv');
    await writeCsvOfSize(file, 50 * MB + 1);
    const res = await upload(h.url, agent, { entity: 'clients', file: await openAsBlob(file), fileName: 'too-large.csv' });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 413, errors: [{ path: 'file', message: 'is too large' }] });
    expect(await storedChunks(agent.agencyId)).toBe(0);
    expect((await owner`select count(*)::int as n from crm.import_jobs where agency_id = ${agent.agencyId}`)[0]?.n).toBe(0);
  });

  it('413s a file whose declared size is already over the limit without reading it as CSV', { timeout: 120_000 }, async () => {
    const agent = newPrincipal('owner');
    const file = path.join(dir, 'way-too-large.csv');
    await writeCsvOfSize(file, 60 * MB);
    const res = await upload(h.url, agent, { entity: 'clients', file: await openAsBlob(file) });
    expect(res.status).toBe(413);
    expect(res.body.errors).toEqual([{ path: 'file', message: 'is too large' }]);
    expect(await storedChunks(agent.agencyId)).toBe(0);
  });

  it('accepts a file of exactly 50 MB and stores it in 1 MB chunks', { timeout: 120_000 }, async () => {
    const agent = newPrincipal('owner');
    const file = path.join(dir, 'just-fits.csv');
    await writeCsvOfSize(file, 50 * MB);
    const res = await upload(h.url, agent, { entity: 'clients', file: await openAsBlob(file), fileName: 'just-fits.csv' });
    expect(res.status).toBe(201);
    const [sizes] = await owner`select count(*)::int as n, sum(length(data))::bigint as bytes, max(length(data)) as largest from crm.import_file_chunks where job_id = ${res.body.id}`;
    expect(sizes).toEqual({ n: 50, bytes: String(50 * MB), largest: MB });
    const [job] = await owner`select total, file_size from crm.import_jobs where id = ${res.body.id}`;
    expect(job?.total).toBeGreaterThan(900_000);
  });
});

describe('POST /api/imports/:id/commit', () => {
  let id: string;
  beforeAll(async () => {
    const res = await upload(h.url, who, { entity: 'contacts', file: 'First,Last,Company,Mail,Notes\nA,B,C,a@x.test,n\n' });
    id = res.body.id;
  });

  it('400s a mapping with an unknown field, an unknown column, a field mapped twice or a required field missing', async () => {
    const commit = (mapping: Record<string, string>) => api()('POST', `/api/imports/${id}/commit`, { mapping });
    let res = await commit({ First: 'firstName', Company: 'clientName', Notes: 'notes' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'mapping.Notes', message: expect.stringContaining('"notes" is not a contacts field') }]);

    res = await commit({ First: 'firstName', Company: 'clientName', Phone: 'phone' });
    expect(res.body.errors).toEqual([{ path: 'mapping.Phone', message: 'is not a column of the uploaded file' }]);

    res = await commit({ First: 'firstName', Last: 'firstName', Company: 'clientName' });
    expect(res.body.errors).toEqual([{ path: 'mapping.Last', message: '"firstName" is already mapped from column "First"' }]);

    res = await commit({ First: 'firstName', Mail: 'email' });
    expect(res.body.errors).toEqual([{ path: 'mapping', message: 'map a column to clientName or clientEmail' }]);

    res = await api()('POST', `/api/imports/${id}/commit`, { mapping: { First: 'firstName' }, extra: 1 });
    expect(res.status).toBe(400);
    expect((await owner`select status from crm.import_jobs where id = ${id}`)[0]?.status).toBe('uploaded');
  });

  it('queues the job (202), then 409s a second commit; 404s unknown and other agencies’ ids; 403s a member', async () => {
    const other = serviceClient(h.url, newPrincipal('owner'));
    expect((await other('POST', `/api/imports/${id}/commit`, { mapping: { First: 'firstName', Company: 'clientName' } })).status).toBe(404);
    expect((await other('GET', `/api/imports/${id}`)).status).toBe(404);
    expect((await other('GET', `/api/imports/${id}/errors.csv`)).status).toBe(404);
    expect((await api()('GET', '/api/imports/not-a-uuid')).status).toBe(404);
    const member = serviceClient(h.url, newPrincipal('member', who.agencyId));
    expect((await member('GET', `/api/imports/${id}`)).status).toBe(403);
    expect((await member('POST', `/api/imports/${id}/commit`, { mapping: { First: 'firstName', Company: 'clientName' } })).status).toBe(403);

    const res = await api()('POST', `/api/imports/${id}/commit`, { mapping: { First: 'firstName', Last: 'lastName', Company: 'clientName', Mail: '' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id, entity: 'contacts', status: 'queued', total: 1, processed: 0, errors: [], error: null, finishedAt: null });
    const again = await api()('POST', `/api/imports/${id}/commit`, { mapping: { First: 'firstName', Company: 'clientName' } });
    expect(again.status).toBe(409);
  });
});
