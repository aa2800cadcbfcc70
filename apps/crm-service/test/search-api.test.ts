import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createDatabase, tenantTx } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { searchClients, searchContacts } from '../src/search/search-repository.js';
import { listContacts } from '../src/contacts/contact-service.js';
import { selectClientPage } from '../src/clients/client-repository.js';
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

  it('matches letters and digits, whatever the punctuation and spacing', async () => {
    for (const q of ['acme corp', 'ACME-Corp', 'acmecorp', 'hello@acme', 'acme.test']) {
      expect(names(await api('GET', `/api/search?q=${encodeURIComponent(q)}`)).clients, q).toEqual(['ACME Corp']);
      expect((await api('GET', `/api/clients?search=${encodeURIComponent(q)}`)).body.total, q).toBe(1);
    }
    expect((await api('GET', `/api/contacts?search=${encodeURIComponent('Jane Doe')}`)).body.data.map((c: { id: string }) => c.id)).toEqual([jane]);
    expect((await api('GET', `/api/clients?search=${encodeURIComponent('@')}`)).body).toMatchObject({ data: [], total: 0 });
  });

  it('finds clients by phone and contacts by phone or title, as the search boxes say', async () => {
    const ed = serviceClient(h.url, editor);
    const client = (await ed('POST', '/api/clients', { name: 'Quokka Studio', phone: '+1 415 555 0199' })).body.id;
    const person = (await ed('POST', `/api/clients/${client}/contacts`, { firstName: 'Wren', title: 'Chief Wombat', phone: '+44 20 7946 0321' })).body.id;
    for (const q of ['(415) 555-0199', '5550199']) {
      expect((await api('GET', `/api/clients?search=${encodeURIComponent(q)}`)).body.data.map((c: { id: string }) => c.id), q).toEqual([client]);
    }
    for (const q of ['wombat', '7946 0321']) {
      expect((await api('GET', `/api/contacts?search=${encodeURIComponent(q)}`)).body.data.map((c: { id: string }) => c.id), q).toEqual([person]);
      expect(names(await api('GET', `/api/search?q=${encodeURIComponent(q)}`)).contacts, q).toEqual(['Wren']);
    }
  });

  it('pages through a search in every sort order with the exact total on each page', async () => {
    const ed = serviceClient(h.url, editor);
    const made: { id: string; name: string; email: string | null; isActive: boolean; createdAt: string }[] = [];
    for (let i = 0; i < 23; i++) {
      const body = { name: `Pager ${String.fromCharCode(90 - i)} ${i % 3}`, email: i % 4 === 0 ? null : `p${i}@pager.test`, isActive: i % 5 !== 0 };
      const { id, createdAt } = (await ed('POST', '/api/clients', body)).body;
      made.push({ ...body, id, createdAt });
    }
    const collect = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await api('GET', `/api/clients?search=pager&limit=5&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status, query).toBe(200);
        expect(res.body.total, query).toBe(query.includes('isActive=true') ? made.filter((m) => m.isActive).length : made.length);
        seen.push(...res.body.data.map((c: { id: string }) => c.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return seen;
    };
    // The list's order: the sort value, then the id.
    const sorted = (rows: typeof made, key: (m: (typeof made)[number]) => string) =>
      [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1)).map((m) => m.id);
    expect(await collect('sort=name')).toEqual(sorted(made, (m) => m.name));
    expect(await collect('sort=name&order=desc')).toEqual(sorted(made, (m) => m.name).reverse());
    expect(await collect('sort=createdAt')).toEqual(sorted(made, (m) => m.createdAt).reverse());
    expect(await collect('sort=email&isActive=true')).toEqual(sorted(made.filter((m) => m.isActive), (m) => m.email ?? ''));
    // The contact list pages its search the same way, with its client filter.
    const owner = made[1]!.id;
    const people: string[] = [];
    for (const last of ['Zed', 'Young', 'Xu', 'Wu', 'Vo', 'Ueda', 'Tam']) {
      people.push((await ed('POST', `/api/clients/${owner}/contacts`, { firstName: 'Pagerperson', lastName: last })).body.id);
    }
    await ed('POST', `/api/clients/${made[2]!.id}/contacts`, { firstName: 'Pagerperson', lastName: 'Elsewhere' });
    const contactPages: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api('GET', `/api/contacts?search=pagerperson&clientId=${owner}&limit=3&sort=lastName${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.body.total).toBe(people.length);
      contactPages.push(...res.body.data.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(contactPages).toEqual([...people].reverse());

    // A cursor of another sort is refused, with or without a search.
    const first = await api('GET', '/api/clients?search=pager&limit=5&sort=name');
    expect((await api('GET', `/api/clients?search=pager&sort=createdAt&cursor=${encodeURIComponent(first.body.nextCursor)}`)).status).toBe(400);
  });

  it('uses the agency search indexes as the crm role, under row-level security', async () => {
    // Rows in this agency among other agencies' rows, as in a real database. Few enough to seed
    // in moments on a loaded machine: the planner is told below to avoid sequential scans, so
    // what is tested is whether the search indexes are usable under row-level security at all.
    await owner`insert into crm.clients (agency_id, name, email)
      select ${who.agencyId}, 'Client ' || md5(i::text), 'c' || i || '@' || md5(i::text) || '.test' from generate_series(1, 2000) i`;
    await owner`insert into crm.clients (agency_id, name, email)
      select ('00000000-0000-4000-8000-' || lpad((i % 100)::text, 12, '0'))::uuid, 'Other ' || md5(i::text), 'o' || i || '@' || md5(i::text) || '.test'
      from generate_series(1, 4000) i`;
    await owner`insert into crm.contacts (agency_id, client_id, first_name, last_name, email)
      select agency_id, id, 'First' || md5(id::text), 'Last' || md5(name), md5(id::text) || '@x.test' from crm.clients`;
    await owner`analyze crm.clients`;
    await owner`analyze crm.contacts`;

    // The service's own queries, run as the crm role in a tenant transaction. The scans are
    // counted by this backend for its own transaction (pg_stat_get_xact_numscans), so nothing
    // waits for statistics to be flushed and read back by another connection.
    const crmRole = createDatabase(h.db.urlFor('crm'), { max: 1 });
    let scans = 0;
    try {
      await tenantTx(crmRole.db, who.agencyId, async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        await searchClients(tx, 'acm', 10);
        await searchContacts(tx, 'acm', 10);
        await selectClientPage(tx, { search: 'acme corp' }, { sort: 'name', order: 'asc', position: null, maxRows: 6 });
        const [row] = await tx.execute<{ scans: string }>(sql`
          select coalesce(sum(pg_stat_get_xact_numscans(c.oid)), 0)::text as scans
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'crm' and c.relkind = 'i' and c.relname like '%search%'`);
        scans = Number(row?.scans);
      });
    } finally {
      await crmRole.close();
    }
    // Each of the three searches went through at least one of the agency's search indexes. (Which
    // ones the planner picks depends on the data; under RLS with leaky operators it could use none,
    // however it is pushed.)
    expect(scans).toBeGreaterThanOrEqual(3);

    // The contact list's ?search= uses the same functions.
    const stillFinds = await listContacts(h.service.ctx.database.db, who, { limit: 5, search: 'jane d' });
    expect(stillFinds.rows.map((r) => r.id)).toEqual([jane]);
  });
});
