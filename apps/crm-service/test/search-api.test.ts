import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createDatabase, withTenant } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import { searchClients, searchContacts } from '../src/search/search-queries.js';
import { listContacts } from '../src/contacts/contact-queries.js';
import { startCrm, type CrmHarness } from './crm-harness.js';

let h: CrmHarness;
let owner: postgres.Sql;
const who = newPrincipal('member');
const editor = newPrincipal('owner', who.agencyId);
const stranger = newPrincipal('owner');
let api: ReturnType<typeof serviceClient>;
let acme: string;
let jane: string;

beforeAll(async () => {
  h = await startCrm();
  owner = postgres(h.db.ownerUrl, { max: 2, onnotice: () => {} });
  api = serviceClient(h.url, who);
  const ed = serviceClient(h.url, editor);
  acme = (await ed('POST', '/api/clients', { name: 'ACME Corp', email: 'hello@acme.test' })).body.id;
  jane = (await ed('POST', `/api/clients/${acme}/contacts`, { firstName: 'Jane', lastName: 'Doe', email: 'jane@doe.test' })).body.id;
  const other = (await ed('POST', '/api/clients', { name: 'Globex', email: 'info@globex.test' })).body.id;
  await ed('POST', `/api/clients/${other}/contacts`, { firstName: 'Hank', lastName: 'Scorpio', email: 'hank@acmeish.test' });
  await ed('POST', `/api/clients/${other}/contacts`, { firstName: 'Bob', lastName: '100% Sure' });
  const gone = (await ed('POST', '/api/clients', { name: 'Acme Old' })).body.id;
  await ed('POST', `/api/clients/${gone}/contacts`, { firstName: 'Gone' });
  await ed('DELETE', `/api/clients/${gone}`);
  const theirs = (await serviceClient(h.url, stranger)('POST', '/api/clients', { name: 'Acme Elsewhere' })).body.id;
  await serviceClient(h.url, stranger)('POST', `/api/clients/${theirs}/contacts`, { firstName: 'Acme', lastName: 'Person' });
});
afterAll(async () => {
  await owner.end();
  await stopTestService(h.service);
  await h.db.drop();
});

const names = (res: { body: { clients: { name: string }[]; contacts: { firstName: string }[] } }) => ({
  clients: res.body.clients.map((c) => c.name),
  contacts: res.body.contacts.map((c) => c.firstName),
});

describe('search across clients and contacts', () => {
  it('finds "ACME Corp" and its contact for "acm", and contacts by their own name or email', async () => {
    const res = await api('GET', '/api/search?q=acm');
    expect(res.status).toBe(200);
    // Jane matches through her client's name, Hank through his email.
    expect(names(res)).toEqual({ clients: ['ACME Corp'], contacts: ['Hank', 'Jane'] });
    expect(res.body.clients[0]).toMatchObject({ id: acme, email: 'hello@acme.test' });
    expect(res.body.contacts[1]).toMatchObject({ id: jane, clientId: acme, isPrimary: true });

    expect(names(await api('GET', '/api/search?q=jane%20d'))).toEqual({ clients: [], contacts: ['Jane'] });
    expect(names(await api('GET', '/api/search?q=GLOBEX'))).toEqual({ clients: ['Globex'], contacts: ['Bob', 'Hank'] });
    expect(names(await api('GET', '/api/search?q=doe.test'))).toEqual({ clients: [], contacts: ['Jane'] });
  });

  it('treats LIKE wildcards as characters, trims, limits, and answers an empty query with nothing', async () => {
    expect(names(await api('GET', `/api/search?q=${encodeURIComponent('100%')}`))).toEqual({ clients: [], contacts: ['Bob'] });
    expect(names(await api('GET', `/api/search?q=${encodeURIComponent('_')}`))).toEqual({ clients: [], contacts: [] });
    expect(names(await api('GET', `/api/search?q=${encodeURIComponent('  acm  ')}`)).clients).toEqual(['ACME Corp']);
    expect((await api('GET', '/api/search?q=acm&limit=1')).body.contacts).toHaveLength(1);
    expect((await api('GET', '/api/search?q=')).body).toEqual({ clients: [], contacts: [] });
    expect((await api('GET', '/api/search?q=%20%20')).body).toEqual({ clients: [], contacts: [] });
  });

  it('never shows deleted clients, their contacts, or another agency', async () => {
    expect(names(await api('GET', '/api/search?q=old'))).toEqual({ clients: [], contacts: [] });
    expect(names(await api('GET', '/api/search?q=gone'))).toEqual({ clients: [], contacts: [] });
    expect(names(await api('GET', '/api/search?q=elsewhere'))).toEqual({ clients: [], contacts: [] });
    expect(names(await serviceClient(h.url, stranger)('GET', '/api/search?q=acm'))).toEqual({ clients: ['Acme Elsewhere'], contacts: ['Acme'] });
  });

  it('rejects bad queries with 400 and field paths', async () => {
    for (const [q, path] of [
      [`q=${'x'.repeat(201)}`, 'query.q'],
      ['q=a&limit=0', 'query.limit'],
      ['q=a&limit=51', 'query.limit'],
      ['limit=5', 'query.q'],
    ]) {
      const res = await api('GET', `/api/search?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path), q).toEqual([path]);
    }
  });

  it('uses the trigram indexes as the crm role, under row-level security', async () => {
    // 20,000 rows in this agency among others, so an index scan is what a planner would choose.
    await owner`insert into crm.clients (agency_id, name, email)
      select ${who.agencyId}, 'Client ' || md5(i::text), 'c' || i || '@' || md5(i::text) || '.test' from generate_series(1, 20000) i`;
    // Other agencies' rows, as in a real database: the agency index alone is then no bargain.
    await owner`insert into crm.clients (agency_id, name, email)
      select ('00000000-0000-4000-8000-' || lpad((i % 100)::text, 12, '0'))::uuid, 'Other ' || md5(i::text), 'o' || i || '@' || md5(i::text) || '.test'
      from generate_series(1, 40000) i`;
    await owner`insert into crm.contacts (agency_id, client_id, first_name, last_name, email)
      select agency_id, id, 'First' || md5(id::text), 'Last' || md5(name), md5(id::text) || '@x.test' from crm.clients`;
    await owner`analyze crm.clients`;
    await owner`analyze crm.contacts`;

    const indexScans = async () =>
      Object.fromEntries(
        (await owner<{ name: string; scans: string }[]>`select indexrelname as name, idx_scan::text as scans from pg_stat_user_indexes where schemaname = 'crm' and indexrelname like '%trgm%'`).map((r) => [r.name, Number(r.scans)]),
      );
    const before = await indexScans();
    // The service's own queries, run as the crm role in a tenant transaction; then flush this
    // backend's statistics so the owner can read them.
    const crmRole = createDatabase(h.db.urlFor('crm'), { max: 1 });
    try {
      await withTenant(crmRole.db, who.agencyId, async (tx) => {
        await searchClients(tx, 'acm', 10);
        await searchContacts(tx, 'acm', 10);
        await tx.execute(sql`select pg_stat_force_next_flush()`);
      });
    } finally {
      await crmRole.close();
    }
    // Each of the two searches went through at least one trigram index. (Which ones the planner
    // picks depends on the data; before the search functions, under RLS, it could pick none.)
    const total = (scans: Record<string, number>) => Object.values(scans).reduce((a, b) => a + b, 0);
    await waitFor(async () => (total(await indexScans()) - total(before) >= 2 ? true : undefined));

    // The contact list's ?search= uses the same functions.
    const stillFinds = await withTenant(h.service.ctx.database.db, who.agencyId, (tx) => listContacts(tx, { limit: 5, search: 'jane d' }));
    expect(stillFinds.rows.map((r) => r.id)).toEqual([jane]);
  });
});
