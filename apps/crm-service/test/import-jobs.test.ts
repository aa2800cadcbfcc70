import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventEnvelope, eventPayloads, type ContactsImportedPayload, type EventName } from '@atelier/contracts';
import { newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import type { CrmHarness } from './crm-harness.js';
import { getCsv, importCsv, startCrmWithImports, upload, waitForJob } from './import-test-helpers.js';

// Batches of 3 rows, so even these small files run as several transactions.
let h: CrmHarness;
let owner: postgres.Sql;

beforeAll(async () => {
  h = await startCrmWithImports({ batchSize: 3 });
  owner = postgres(h.db.ownerUrl, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await owner.end();
  await stopTestService(h.service);
  await h.db.drop();
});

const clientsOf = (agencyId: string) =>
  owner<{ name: string; email: string | null; country: string | null; currency: string; is_active: boolean; version: number; phone: string | null; city: string | null }[]>`
    select name, email, country, currency, is_active, version, phone, city from crm.clients where agency_id = ${agencyId} and deleted_at is null order by name`;

/** The agency's outbox envelopes, each checked against the envelope and payload schemas of the contracts. */
async function events(agencyId: string) {
  const rows = await owner<{ envelope: unknown }[]>`select envelope from crm.outbox where agency_id = ${agencyId} order by seq`;
  return rows.map(({ envelope }) => {
    const e = EventEnvelope.parse(envelope);
    const schema = eventPayloads[e.name as EventName];
    expect(schema, e.name).toBeDefined();
    return { ...e, payload: schema.parse(e.payload) as Record<string, unknown> };
  });
}

describe('importing clients', () => {
  const csv = [
    'Company,E-mail,Phone,City,Country,Currency,Active',
    'ACME Corp,Billing@Acme.test,+1 415 555 0100,San Francisco,us,usd,yes',
    'Blue Fjord,post@fjord.test,,Oslo,NO,NOK,',
    'Broken Mail,not-an-email,,,,,',
    '"Quoted, Inc.","hi@quoted.test",,"=1+2",DE,EUR,false',
    'ACME Corp,billing@acme.test,+1 415 555 0100,San Francisco,US,USD,true', // duplicate row of row 1
    ',nameless@x.test,,,,,', // no name
    'Bad Codes,codes@x.test,,,Germany,EURO,maybe',
    'No Email Ltd,,,Paris,FR,,', // matched by name on the second run
  ].join('\r\n');

  it('imports valid rows, reports invalid ones with row numbers, and never duplicates a client', async () => {
    const who = newPrincipal('owner');
    const job = await importCsv(h.url, who, 'clients', csv);
    expect(job).toMatchObject({ status: 'completed', total: 8, processed: 8, created: 4, updated: 0, failed: 3, error: null });
    expect(job.errors).toEqual([
      { row: 3, message: 'email: "not-an-email" is not a valid email address' },
      { row: 6, message: 'name: is required' },
      {
        row: 7,
        message:
          'country: "Germany" is not a 2-letter ISO 3166-1 country code; currency: "EURO" is not a 3-letter ISO 4217 currency code; isActive: "maybe" is not true or false',
      },
    ]);
    expect(await clientsOf(who.agencyId)).toEqual([
      { name: 'ACME Corp', email: 'billing@acme.test', country: 'US', currency: 'USD', is_active: true, version: 1, phone: '+1 415 555 0100', city: 'San Francisco' },
      { name: 'Blue Fjord', email: 'post@fjord.test', country: 'NO', currency: 'NOK', is_active: true, version: 1, phone: null, city: 'Oslo' },
      { name: 'No Email Ltd', email: null, country: 'FR', currency: 'USD', is_active: true, version: 1, phone: null, city: 'Paris' },
      { name: 'Quoted, Inc.', email: 'hi@quoted.test', country: 'DE', currency: 'EUR', is_active: false, version: 1, phone: null, city: '=1+2' },
    ]);

    // Each created client has exactly one created event, whose payload validates against the contract.
    const created = (await events(who.agencyId)).filter((e) => e.name === 'crm.client.created.v1');
    expect(created.map((e) => (e.payload.client as { name: string }).name).sort()).toEqual(['ACME Corp', 'Blue Fjord', 'No Email Ltd', 'Quoted, Inc.']);
    expect(created.every((e) => e.actorId === who.userId && e.payload.version === 1)).toBe(true);

    // They reach the timeline through the relay like any API change.
    const api = serviceClient(h.url, who);
    await waitFor(async () => ((await api('GET', '/api/timeline?type=crm.client.created.v1')).body.data.length === 4 ? true : undefined));

    // The same file again changes nothing at all.
    const again = await importCsv(h.url, who, 'clients', csv);
    expect(again).toMatchObject({ status: 'completed', total: 8, processed: 8, created: 0, updated: 0, failed: 3 });
    expect(await events(who.agencyId)).toHaveLength(4);
    const [unchanged] = await owner`select unchanged from crm.import_jobs where id = ${again.id}`;
    expect(unchanged?.unchanged).toBe(5);
  });

  it('updates a client matched by email (any case) or by exact name, only when something changed', async () => {
    const who = newPrincipal('owner');
    await importCsv(h.url, who, 'clients', csv);
    const update = [
      'name,email,city,phone',
      'ACME Corporation,BILLING@acme.test,,', // by email: renamed; empty cells change nothing
      'No Email Ltd,,Lyon,', // by name (the row has no email)
      'No Email Ltd,contact@noemail.test,,', // by name, as the client has no email yet: gets one
      'Blue Fjord,post@fjord.test,Oslo,', // same values: unchanged
    ].join('\n');
    const job = await importCsv(h.url, who, 'clients', update);
    expect(job).toMatchObject({ status: 'completed', created: 0, updated: 3, unchanged: 1, failed: 0 });
    const rows = await clientsOf(who.agencyId);
    expect(rows.map((r) => [r.name, r.email, r.city, r.phone, r.version])).toEqual([
      ['ACME Corporation', 'billing@acme.test', 'San Francisco', '+1 415 555 0100', 2],
      ['Blue Fjord', 'post@fjord.test', 'Oslo', null, 1],
      ['No Email Ltd', 'contact@noemail.test', 'Lyon', null, 2], // two rows, one batch: one new version
      ['Quoted, Inc.', 'hi@quoted.test', '=1+2', null, 1],
    ]);
    const updated = (await events(who.agencyId)).filter((e) => e.name === 'crm.client.updated.v1');
    expect(updated.map((e) => [(e.payload.client as { name: string }).name, e.payload.version])).toEqual([
      ['ACME Corporation', 2],
      ['No Email Ltd', 2],
    ]);
  });

  it('reports an ambiguous name instead of guessing which client to update', async () => {
    const who = newPrincipal('owner');
    const api = serviceClient(h.url, who);
    await api('POST', '/api/clients', { name: 'Twin' });
    await api('POST', '/api/clients', { name: 'Twin' });
    const job = await importCsv(h.url, who, 'clients', 'name,city\nTwin,Rome\n');
    expect(job).toMatchObject({ created: 0, updated: 0, failed: 1, errors: [{ row: 1, message: expect.stringContaining('2 clients are named "Twin"') }] });
  });

  it('serves every failed row as CSV with its original cells and the reason', async () => {
    const who = newPrincipal('owner');
    const job = await importCsv(h.url, who, 'clients', csv);
    const res = await getCsv(h.url, who, `/api/imports/${job.id}/errors.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="import-[0-9a-f]{8}-errors\.csv"$/);
    expect(res.text).toBe(
      [
        'Company,E-mail,Phone,City,Country,Currency,Active,error',
        'Broken Mail,not-an-email,,,,,,"email: ""not-an-email"" is not a valid email address"',
        ',nameless@x.test,,,,,,name: is required',
        'Bad Codes,codes@x.test,,,Germany,EURO,maybe,"country: ""Germany"" is not a 2-letter ISO 3166-1 country code; currency: ""EURO"" is not a 3-letter ISO 4217 currency code; isActive: ""maybe"" is not true or false"',
        '',
      ].join('\r\n'),
    );
  });

  it('reports progress as it goes and completes with processed == total', async () => {
    const who = newPrincipal('owner');
    const rows = Array.from({ length: 60 }, (_, i) => `Client ${i},c${i}@x.test`);
    const up = await upload(h.url, who, { entity: 'clients', file: ['name,email', ...rows].join('\n') });
    const api = serviceClient(h.url, who);
    await api('POST', `/api/imports/${up.body.id}/commit`, { mapping: up.body.suggestedMapping });
    const seen: number[] = [];
    const done = await waitFor(
      async () => {
        const res = await api('GET', `/api/imports/${up.body.id}`);
        seen.push(res.body.processed);
        expect(res.body.processed).toBeLessThanOrEqual(res.body.total);
        expect(res.body.processed % 3 === 0 || res.body.processed === 60).toBe(true); // whole batches only
        return res.body.status === 'completed' ? res.body : undefined;
      },
      20_000,
      5,
    );
    expect(done).toMatchObject({ total: 60, processed: 60, created: 60, failed: 0 });
    expect(done.finishedAt).not.toBeNull();
    expect([...seen].sort((a, b) => a - b)).toEqual(seen); // never goes backwards
    // The stored file is dropped once the job is done.
    expect((await owner`select count(*)::int as n from crm.import_file_chunks where job_id = ${up.body.id}`)[0]?.n).toBe(0);
  });
});

describe('importing contacts', () => {
  it('links contacts to clients by client name or client email; an unknown client is a row error', async () => {
    const who = newPrincipal('owner');
    await importCsv(h.url, who, 'clients', 'name,email,country\nACME Corp,billing@acme.test,US\nGlobex,hello@globex.test,DE\nInitech,,\n');
    const csv = [
      'First Name,Last Name,Email,Company,Client Email,Phone,Title,Primary',
      'Jane,Doe,Jane@Acme.test,ACME Corp,,(415) 555-0100,CEO,',
      'John,Roe,john@globex.test,,HELLO@globex.test,+49 30 1234567,,',
      'Peter,Gibbons,,Initech,,,,',
      'Lost,Soul,lost@x.test,Umbrella,,,,',
      'Bad,Mail,bad@,ACME Corp,,,,',
      ',Nofirst,,ACME Corp,,,,',
      'Nobody,Linked,,,,,,',
      'Jane,Doe,jane@acme.test,ACME Corp,,(415) 555-0100,CEO,', // duplicate row
      'Milton,Waddams,milton@initech.test,Initech,,,,yes', // new primary of Initech
    ].join('\n');
    const job = await importCsv(h.url, who, 'contacts', csv);
    expect(job).toMatchObject({ status: 'completed', total: 9, processed: 9, created: 4, updated: 0, failed: 4 });
    expect(job.errors).toEqual([
      { row: 4, message: 'clientName: no client is named "Umbrella"' },
      { row: 5, message: 'email: "bad@" is not a valid email address' },
      { row: 6, message: 'firstName: is required' },
      { row: 7, message: 'clientName or clientEmail: is required to link the contact to its client' },
    ]);
    const contacts = await owner<{ client: string; first_name: string; email: string | null; phone_e164: string | null; title: string | null; is_primary: boolean }[]>`
      select cl.name as client, c.first_name, c.email, c.phone_e164, c.title, c.is_primary
      from crm.contacts c join crm.clients cl on cl.id = c.client_id
      where c.agency_id = ${who.agencyId} and c.deleted_at is null order by c.first_name`;
    expect(contacts).toEqual([
      { client: 'ACME Corp', first_name: 'Jane', email: 'jane@acme.test', phone_e164: '+14155550100', title: 'CEO', is_primary: true },
      { client: 'Globex', first_name: 'John', email: 'john@globex.test', phone_e164: '+49301234567', title: null, is_primary: true },
      { client: 'Initech', first_name: 'Milton', email: 'milton@initech.test', phone_e164: null, title: null, is_primary: true },
      { client: 'Initech', first_name: 'Peter', email: null, phone_e164: null, title: null, is_primary: false },
    ]);
    // One bulk event per batch that wrote anything, never an event per contact.
    const evts = (await events(who.agencyId)).filter((e) => e.name.startsWith('crm.contact.'));
    expect(evts.map((e) => e.name).every((n) => n === 'crm.contact.imported.v1')).toBe(true);
    const snapshots = evts.flatMap((e) => (e.payload as ContactsImportedPayload).contacts);
    expect(new Set(snapshots.map((s) => s.contact.id)).size).toBe(4);
    // Peter was created primary (Initech's first contact) in one batch and demoted, as a new version, by Milton's row in the next.
    const peter = snapshots.filter((s) => s.contact.firstName === 'Peter').map((s) => ({ isPrimary: s.contact.isPrimary, version: s.version }));
    expect(peter).toEqual([
      { isPrimary: true, version: 1 },
      { isPrimary: false, version: 2 },
    ]);
    // Each event sums its batch per client, counting the rows (the demotion is a side effect, not a row).
    const initechRows = evts.flatMap((e) => (e.payload as ContactsImportedPayload).clients).filter((c) => c.clientId === snapshots.find((s) => s.contact.firstName === 'Peter')?.contact.clientId);
    expect(initechRows.reduce((n, c) => n + c.created + c.updated, 0)).toBe(2);

    const again = await importCsv(h.url, who, 'contacts', csv);
    expect(again).toMatchObject({ created: 0, updated: 0, failed: 4 });
  });

  it('updates a contact matched by email or by name within its client, and moves the primary flag', async () => {
    const who = newPrincipal('owner');
    await importCsv(h.url, who, 'clients', 'name\nHooli\nPied Piper\n');
    await importCsv(h.url, who, 'contacts', 'firstName,lastName,email,clientName\nGavin,Belson,gavin@hooli.test,Hooli\nRichard,Hendricks,,Pied Piper\nRichard,Hendricks,,Hooli\n');
    const job = await importCsv(
      h.url,
      who,
      'contacts',
      'firstName,lastName,email,title,clientName,isPrimary\nGavin,Belson,GAVIN@hooli.test,CEO,Hooli,false\nRichard,Hendricks,richard@piedpiper.test,CEO,Pied Piper,\nRichard,Hendricks,,,Hooli,true\n',
    );
    expect(job).toMatchObject({ created: 0, updated: 3, failed: 0 });
    const rows = await owner<{ client: string; name: string; email: string | null; title: string | null; is_primary: boolean }[]>`
      select cl.name as client, c.first_name || ' ' || c.last_name as name, c.email, c.title, c.is_primary
      from crm.contacts c join crm.clients cl on cl.id = c.client_id where c.agency_id = ${who.agencyId} order by cl.name, c.first_name`;
    expect(rows).toEqual([
      { client: 'Hooli', name: 'Gavin Belson', email: 'gavin@hooli.test', title: 'CEO', is_primary: false },
      { client: 'Hooli', name: 'Richard Hendricks', email: null, title: null, is_primary: true },
      { client: 'Pied Piper', name: 'Richard Hendricks', email: 'richard@piedpiper.test', title: 'CEO', is_primary: true },
    ]);
  });
});

describe('importing contacts: the timeline', () => {
  it('writes one entry per client per import, however many batches the import takes', async () => {
    const who = newPrincipal('owner');
    await importCsv(h.url, who, 'clients', 'name\nWayne Enterprises\nStark Industries\n');
    const rows = [
      ...Array.from({ length: 7 }, (_, i) => `Bruce${i},Wayne,bruce${i}@wayne.test,Wayne Enterprises`),
      'Tony,Stark,tony@stark.test,Stark Industries',
    ];
    const up = await upload(h.url, who, { entity: 'contacts', file: `firstName,lastName,email,clientName\n${rows.join('\n')}\n`, fileName: 'people.csv' });
    expect(up.status).toBe(201);
    expect((await serviceClient(h.url, who)('POST', `/api/imports/${up.body.id}/commit`, { mapping: up.body.suggestedMapping })).status).toBe(202);
    expect(await waitForJob(h.url, who, up.body.id)).toMatchObject({ status: 'completed', created: 8 });

    const api = serviceClient(h.url, who);
    const entries = await waitFor(async () => {
      const res = await api('GET', '/api/timeline?type=crm.contact.imported.v1');
      const titles = (res.body.data as { title: string }[]).map((e) => e.title).sort();
      return titles.join('|') === '1 contact imported from people.csv|7 contacts imported from people.csv' ? res.body.data : undefined;
    });
    expect(entries).toHaveLength(2); // batches of 3: Wayne's seven contacts came in three events
    expect(entries.every((e: { entity: { kind: string; id: string } }) => e.entity.kind === 'import' && e.entity.id === up.body.id)).toBe(true);
    // Not one entry per contact.
    expect((await api('GET', '/api/timeline?entityKind=contact')).body.total).toBe(0);
  });
});

describe('job isolation', () => {
  it('runs two agencies’ imports side by side without either seeing the other', async () => {
    const a = newPrincipal('owner');
    const b = newPrincipal('admin');
    const [ja, jb] = await Promise.all([
      importCsv(h.url, a, 'clients', 'name\nShared Name\nOnly A\n'),
      importCsv(h.url, b, 'clients', 'name\nShared Name\n'),
    ]);
    expect(ja.created).toBe(2);
    expect(jb.created).toBe(1);
    expect((await clientsOf(a.agencyId)).map((c) => c.name)).toEqual(['Only A', 'Shared Name']);
    expect((await clientsOf(b.agencyId)).map((c) => c.name)).toEqual(['Shared Name']);
    expect((await waitForJob(h.url, a, ja.id)).status).toBe('completed');
  });
});
