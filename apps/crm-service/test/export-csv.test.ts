import postgres from 'postgres';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldLabels, importFields } from '@atelier/contracts';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';
import { getCsv, importCsv } from './import-test-helpers.js';

let h: CrmHarness;
let owner: postgres.Sql;
const who = newPrincipal('manager');
const api = () => serviceClient(h.url, who);
const ids: Record<string, string> = {};

const BOM = '\ufeff';
const records = (text: string) => parse(text, { bom: true, relax_column_count: false }) as string[][];

beforeAll(async () => {
  h = await startCrm();
  owner = postgres(h.db.ownerUrl, { max: 2, onnotice: () => {} });
  const create = async (body: Record<string, unknown>) => {
    const res = await api()('POST', '/api/clients', body);
    expect(res.status).toBe(201);
    ids[body.name as string] = res.body.id;
    return res.body.id as string;
  };
  await create({
    name: 'ACME, "The" Company',
    email: 'billing@acme.test',
    phone: '+1 415 555 0100',
    website: 'https://acme.test',
    address: { line1: '500 Market St\nSuite 2', line2: '=cmd|" /C calc"!A0', city: '@Home', region: 'CA', postalCode: '94105', country: 'US' },
    currency: 'USD',
    taxId: '-42',
  });
  await create({ name: 'Blue Fjord AS', email: 'post@fjord.test', currency: 'NOK', address: { city: 'Oslo', country: 'NO' }, isActive: false });
  await create({ name: '=HYPERLINK("http://evil.test")', taxId: "'+quoted" });
  const gone = await create({ name: 'Deleted Co' });
  expect((await api()('DELETE', `/api/clients/${gone}`)).status).toBe(204);

  const contact = async (clientName: string, body: Record<string, unknown>) => {
    const res = await api()('POST', `/api/clients/${ids[clientName]}/contacts`, body);
    expect(res.status).toBe(201);
  };
  await contact('ACME, "The" Company', { firstName: 'Jane', lastName: 'Doe', email: 'jane@acme.test', phone: '+1 415 555 0101', title: 'CEO, "Boss"' });
  await contact('ACME, "The" Company', { firstName: 'John', lastName: 'Roe', title: 'Line 1\r\nLine 2' });
  await contact('Blue Fjord AS', { firstName: '@Ola', lastName: 'Nordmann', email: 'ola@fjord.test', isPrimary: true });
});
afterAll(async () => {
  await owner.end();
  await stopTestService(h.service);
  await h.db.drop();
});

describe('GET /api/exports/clients.csv', () => {
  it('streams every live client under human headings, with a BOM, RFC 4180 quoting and formula protection', async () => {
    const res = await getCsv(h.url, who, '/api/exports/clients.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="clients-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers.get('content-length')).toBeNull(); // streamed (chunked), not buffered
    expect(res.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);

    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(BOM + 'Name,Email,Phone,Website,Address line 1,Address line 2,City,Region,Postal code,Country,Currency,Tax ID,Active');
    expect(lines[0]).toBe(BOM + importFields.clients.map((f) => fieldLabels.clients[f]).join(','));
    // Quotes doubled, fields with commas, quotes or newlines quoted; cells a spreadsheet would run start with '.
    expect(res.text).toContain('"\'=HYPERLINK(""http://evil.test"")"');
    expect(res.text).toContain('"ACME, ""The"" Company",billing@acme.test,\'+1 415 555 0100,https://acme.test,"500 Market St\nSuite 2","\'=cmd|"" /C calc""!A0",\'@Home,CA,94105,US,USD,\'-42,true\r\n');
    expect(res.text).toContain("USD,''+quoted,true"); // a value that already starts with ' before + gets one more, so re-import restores it
    expect(res.text).not.toContain('Deleted Co');

    const rows = records(res.text);
    expect(rows.slice(1).map((r) => r[0])).toEqual(["'=HYPERLINK(\"http://evil.test\")", 'ACME, "The" Company', 'Blue Fjord AS']);
    expect(rows.find((r) => r[0] === 'Blue Fjord AS')).toEqual(['Blue Fjord AS', 'post@fjord.test', '', '', '', '', 'Oslo', '', '', 'NO', 'NOK', '', 'false']);
  });

  it('selects fields in the order given, applies the list filters, and leaves out the BOM or the headings’ labels on request', async () => {
    let res = await getCsv(h.url, who, '/api/exports/clients.csv?fields=email,name,id&isActive=true&bom=false');
    expect(res.status).toBe(200);
    expect(res.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(records(res.text)).toEqual([
      ['Email', 'Name', 'ID'],
      ['', "'=HYPERLINK(\"http://evil.test\")", ids['=HYPERLINK("http://evil.test")']],
      ['billing@acme.test', 'ACME, "The" Company', ids['ACME, "The" Company']],
    ]);

    res = await getCsv(h.url, who, '/api/exports/clients.csv?fields=name&search=fjord');
    expect(res.text).toBe(`${BOM}Name\r\nBlue Fjord AS\r\n`);
    res = await getCsv(h.url, who, '/api/exports/clients.csv?fields=name,createdAt&search=nothing-matches');
    expect(res.text).toBe(`${BOM}Name,Created at\r\n`);
    res = await getCsv(h.url, who, '/api/exports/clients.csv?fields=name,postalCode,createdAt&search=nothing-matches&header=fields&bom=false');
    expect(res.text).toBe('name,postalCode,createdAt\r\n');
    expect((await api()('GET', '/api/exports/clients.csv?header=names')).body.errors[0].path).toBe('query.header');
    res = await getCsv(h.url, who, `/api/exports/clients.csv?fields=${encodeURIComponent('name, updatedAt')}&isActive=false`);
    expect(records(res.text)[1]?.[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('400s unknown fields and bad filters (query paths), 403s a member, 404s an unknown entity', async () => {
    const bad = await api()('GET', '/api/exports/clients.csv?fields=name,password,notes');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'query.fields', message: expect.stringContaining('unknown field password, notes') }]);
    const badFilter = await api()('GET', '/api/exports/clients.csv?isActive=maybe');
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors[0].path).toBe('query.isActive');
    const member = await serviceClient(h.url, newPrincipal('member', who.agencyId))('GET', '/api/exports/clients.csv');
    expect(member.status).toBe(403);
    expect((await api()('GET', '/api/exports/projects.csv')).status).toBe(404);
  });

  it('shows another agency nothing', async () => {
    const res = await getCsv(h.url, newPrincipal('owner'), '/api/exports/clients.csv?fields=name');
    expect(res.text).toBe(`${BOM}Name\r\n`);
  });
});

describe('GET /api/exports/contacts.csv', () => {
  it('exports contacts with their client’s name and email, filtered by client or search', async () => {
    const res = await getCsv(h.url, who, '/api/exports/contacts.csv');
    expect(res.status).toBe(200);
    expect(records(res.text)).toEqual([
      ['Client name', 'Client email', 'First name', 'Last name', 'Email', 'Phone', 'Job title', 'Primary contact'],
      ['ACME, "The" Company', 'billing@acme.test', 'Jane', 'Doe', 'jane@acme.test', "'+1 415 555 0101", 'CEO, "Boss"', 'true'],
      ['ACME, "The" Company', 'billing@acme.test', 'John', 'Roe', '', '', 'Line 1\r\nLine 2', 'false'],
      ['Blue Fjord AS', 'post@fjord.test', "'@Ola", 'Nordmann', 'ola@fjord.test', '', '', 'true'],
    ]);
    const byClient = await getCsv(h.url, who, `/api/exports/contacts.csv?clientId=${ids['Blue Fjord AS']}&fields=firstName,clientId`);
    expect(records(byClient.text)).toEqual([
      ['First name', 'Client ID'],
      ["'@Ola", ids['Blue Fjord AS']],
    ]);
    const search = await getCsv(h.url, who, '/api/exports/contacts.csv?search=roe&fields=firstName');
    expect(search.text).toBe(`${BOM}First name\r\nJohn\r\n`);
    const activeOnly = await getCsv(h.url, who, '/api/exports/contacts.csv?isActive=true&fields=firstName');
    expect(activeOnly.text).toBe(`${BOM}First name\r\nJane\r\nJohn\r\n`);
    const badClient = await api()('GET', '/api/exports/contacts.csv?clientId=nope');
    expect(badClient.status).toBe(400);
    expect(badClient.body.errors[0].path).toBe('query.clientId');
  });
});

describe('export → import round trip', () => {
  it('re-imports exported clients and contacts unchanged: 0 created, 0 updated, 0 failed, all unchanged', async () => {
    const before = await owner`select id, version, updated_at from crm.clients where agency_id = ${who.agencyId} order by id`;
    const contactsBefore = await owner`select id, updated_at from crm.contacts where agency_id = ${who.agencyId} order by id`;
    const outboxBefore = (await owner`select count(*)::int as n from crm.outbox where agency_id = ${who.agencyId}`)[0]?.n;

    for (const bom of ['false', 'true']) {
      const clients = await getCsv(h.url, who, `/api/exports/clients.csv?bom=${bom}`);
      const clientJob = await importCsv(h.url, who, 'clients', clients.bytes);
      expect(clientJob).toMatchObject({ status: 'completed', total: 3, processed: 3, created: 0, updated: 0, unchanged: 3, failed: 0 });

      const contacts = await getCsv(h.url, who, `/api/exports/contacts.csv?bom=${bom}`);
      const contactJob = await importCsv(h.url, who, 'contacts', contacts.bytes);
      expect(contactJob).toMatchObject({ status: 'completed', total: 3, processed: 3, created: 0, updated: 0, unchanged: 3, failed: 0 });
    }
    expect(await owner`select id, version, updated_at from crm.clients where agency_id = ${who.agencyId} order by id`).toEqual(before);
    expect(await owner`select id, updated_at from crm.contacts where agency_id = ${who.agencyId} order by id`).toEqual(contactsBefore);
    expect((await owner`select count(*)::int as n from crm.outbox where agency_id = ${who.agencyId}`)[0]?.n).toBe(outboxBefore);
  });

  it('round-trips into an empty agency: the same clients and contacts come out again', async () => {
    const target = newPrincipal('owner');
    const clients = await getCsv(h.url, who, '/api/exports/clients.csv');
    const contacts = await getCsv(h.url, who, '/api/exports/contacts.csv');
    expect(await importCsv(h.url, target, 'clients', clients.bytes)).toMatchObject({ created: 3, failed: 0 });
    expect(await importCsv(h.url, target, 'contacts', contacts.bytes)).toMatchObject({ created: 3, failed: 0 });
    expect((await getCsv(h.url, target, '/api/exports/clients.csv')).text).toBe(clients.text);
    expect((await getCsv(h.url, target, '/api/exports/contacts.csv')).text).toBe(contacts.text);
  });

  it('streams a large export from a cursor', { timeout: 60_000 }, async () => {
    const big = newPrincipal('owner');
    await owner`
      insert into crm.clients (agency_id, name, email, city)
      select ${big.agencyId}, 'Client ' || lpad(i::text, 5, '0'), 'c' || i || '@x.test', 'City, "' || i || '"'
      from generate_series(1, 5000) i`;
    const res = await getCsv(h.url, big, '/api/exports/clients.csv?fields=name,email,city');
    const rows = records(res.text);
    expect(rows).toHaveLength(5001);
    expect(rows[5000]).toEqual(['Client 05000', 'c5000@x.test', 'City, "5000"']);
  });
});
