import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import type { CrmHarness } from './crm-harness.js';
import { getCsv, importCsv, startCrmWithImports, upload } from './import-test-helpers.js';

let h: CrmHarness;
beforeAll(async () => {
  h = await startCrmWithImports({ batchSize: 3 });
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const clientsCsv = [
  'Name,Email,Phone,City,Country',
  'ACME Corp,billing@acme.test,+1 415 555 0100,San Francisco,US',
  'Blue Fjord,post@fjord.test,,Oslo,NO',
  'Broken Mail,not-an-email,,,',
  'Call Me Ltd,call@me.test,call me maybe!!!,,',
  'Northwind,hello@northwind.test,,Leeds,GB',
].join('\n');

describe('re-importing a file', () => {
  it('reports the rows that change nothing as unchanged, on the job and in the API', async () => {
    const owner = newPrincipal('owner');
    const first = await importCsv(h.url, owner, 'clients', clientsCsv);
    expect(first).toMatchObject({ status: 'completed', total: 5, processed: 5, created: 3, updated: 0, unchanged: 0, failed: 2 });
    expect(first.errors.map((e) => e.row)).toEqual([3, 4]);
    expect(first.errors[1]?.message).toMatch(/^phone: "call me maybe!!!" must be a phone number/);

    const again = await importCsv(h.url, owner, 'clients', clientsCsv);
    expect(again).toMatchObject({ status: 'completed', total: 5, processed: 5, created: 0, updated: 0, unchanged: 3, failed: 2 });
    expect(again.created + again.updated + again.unchanged + again.failed).toBe(again.processed);
    const api = serviceClient(h.url, owner);
    expect((await api('GET', `/api/imports/${again.id}`)).body).toMatchObject({ unchanged: 3, created: 0, updated: 0, failed: 2 });
  });

  it('previews what committing would do to each row: create, update, unchanged or error', async () => {
    const owner = newPrincipal('owner');
    await importCsv(h.url, owner, 'clients', 'Name,Email,City\nACME Corp,billing@acme.test,Berlin\nBlue Fjord,post@fjord.test,Oslo\n');
    const csv = [
      'Name,Email,City',
      'ACME Corp,billing@acme.test,Berlin', // as it is
      'Blue Fjord,post@fjord.test,Bergen', // a change
      'Northwind,hello@northwind.test,Leeds', // new
      'Northwind,hello@northwind.test,York', // the row above again, changed: an update of what the job will create
      'Broken,not-an-email,', // invalid
    ].join('\n');
    const up = await upload(h.url, owner, { entity: 'clients', file: csv });
    expect(up.status).toBe(201);
    expect(up.body.preview.map((r: { row: number; action: string }) => [r.row, r.action])).toEqual([
      [1, 'unchanged'],
      [2, 'update'],
      [3, 'create'],
      [4, 'update'],
      [5, 'error'],
    ]);
    expect(up.body.preview[4].errors).toEqual(['email: "not-an-email" is not a valid email address']);
    expect(up.body.preview[0].errors).toEqual([]);

    // The preview wrote nothing: still the two clients, unchanged.
    const api = serviceClient(h.url, owner);
    const list = await api('GET', '/api/clients?sort=name');
    expect(list.body.data.map((c: { name: string; address: { city: string } }) => [c.name, c.address.city])).toEqual([
      ['ACME Corp', 'Berlin'],
      ['Blue Fjord', 'Oslo'],
    ]);

    // And the job does what the preview said.
    const job = await importCsv(h.url, owner, 'clients', csv);
    expect(job).toMatchObject({ created: 1, updated: 2, unchanged: 1, failed: 1 });
  });

  it('previews contacts against their clients: an unknown client is the row error', async () => {
    const owner = newPrincipal('owner');
    await importCsv(h.url, owner, 'clients', 'Name,Email\nACME Corp,billing@acme.test\n');
    await importCsv(h.url, owner, 'contacts', 'Client,First name,Last name,Email\nACME Corp,Ann,Lee,ann@acme.test\n');
    const up = await upload(h.url, owner, {
      entity: 'contacts',
      file: 'Client,First name,Last name,Email\nACME Corp,Ann,Lee,ann@acme.test\nACME Corp,Bob,Ray,bob@acme.test\nNobody Inc,Cy,Doe,cy@x.test\n',
    });
    expect(up.status).toBe(201);
    expect(up.body.preview.map((r: { action: string }) => r.action)).toEqual(['unchanged', 'create', 'error']);
    expect(up.body.preview[2].errors).toEqual(['clientName: no client is named "Nobody Inc"']);
  });
});

describe('the files around an import', () => {
  it('maps both the export’s human headings and the field names', async () => {
    const owner = newPrincipal('owner');
    const labels = await upload(h.url, owner, { entity: 'clients', file: 'Name,Address line 1,Address line 2,Postal code,Tax ID,Active\nA,1 High St,,LS1 1AA,GB1,yes\n' });
    expect(labels.body.suggestedMapping).toEqual({ Name: 'name', 'Address line 1': 'addressLine1', 'Address line 2': 'addressLine2', 'Postal code': 'postalCode', 'Tax ID': 'taxId', Active: 'isActive' });
    const fields = await upload(h.url, owner, { entity: 'clients', file: 'name,addressLine1,postalCode,taxId,isActive\nA,1 High St,LS1 1AA,GB1,yes\n' });
    expect(fields.body.suggestedMapping).toEqual({ name: 'name', addressLine1: 'addressLine1', postalCode: 'postalCode', taxId: 'taxId', isActive: 'isActive' });
    const contacts = await upload(h.url, owner, { entity: 'contacts', file: 'Client name,Client email,First name,Last name,Email,Phone,Job title,Primary contact\n' });
    expect(Object.values(contacts.body.suggestedMapping)).toEqual(['clientName', 'clientEmail', 'firstName', 'lastName', 'email', 'phone', 'title', 'isPrimary']);
  });

  it('serves the failed rows in the uploaded file’s delimiter and with its byte order mark', async () => {
    const owner = newPrincipal('owner');
    const withBom = await importCsv(h.url, owner, 'clients', '\ufeffName;Email;City\r\nGood GmbH;info@good.test;Köln\r\n"Bad; Co";not-an-email;Berlin\r\n');
    expect(withBom).toMatchObject({ created: 1, failed: 1 });
    const errors = await getCsv(h.url, owner, `/api/imports/${withBom.id}/errors.csv`);
    expect(errors.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(errors.text).toBe('\ufeffName;Email;City;error\r\n"Bad; Co";not-an-email;Berlin;"email: ""not-an-email"" is not a valid email address"\r\n');

    const tabs = await importCsv(h.url, owner, 'clients', 'Name\tEmail\nOops\tnope\n');
    const tabErrors = await getCsv(h.url, owner, `/api/imports/${tabs.id}/errors.csv`);
    expect(tabErrors.text).toBe('Name\tEmail\terror\r\nOops\tnope\t"email: ""nope"" is not a valid email address"\r\n');
  });
});

describe('a client’s first contact', () => {
  it('is primary when the import creates it, even on a row that says it is not', async () => {
    const owner = newPrincipal('owner');
    await importCsv(h.url, owner, 'clients', 'Name,Email\nFirst Co,first@co.test\nSecond Co,second@co.test\n');
    const job = await importCsv(h.url, owner, 'contacts', 'Client name,First name,Primary\nFirst Co,Ann,no\nFirst Co,Bob,no\nSecond Co,Cy,\n');
    expect(job).toMatchObject({ created: 3, failed: 0 });
    const api = serviceClient(h.url, owner);
    const contacts = (await api('GET', '/api/contacts?sort=firstName')).body.data as { firstName: string; isPrimary: boolean }[];
    expect(contacts.map((c) => [c.firstName, c.isPrimary])).toEqual([
      ['Ann', true],
      ['Bob', false],
      ['Cy', true],
    ]);
  });
});
