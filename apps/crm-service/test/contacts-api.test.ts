import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';

let h: CrmHarness;
const owner = newPrincipal('owner');
const manager = newPrincipal('manager', owner.agencyId);
const member = newPrincipal('member', owner.agencyId);
const stranger = newPrincipal('owner');
let api: ReturnType<typeof serviceClient>;

beforeAll(async () => {
  h = await startCrm();
  api = serviceClient(h.url, owner);
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const newClient = async (body: Record<string, unknown> = {}) => {
  const res = await api('POST', '/api/clients', { name: `Client ${randomUUID().slice(0, 6)}`, ...body });
  expect(res.status).toBe(201);
  return res.body.id as string;
};

describe('contacts API', () => {
  it('creates, reads, lists, updates and soft-deletes a contact', async () => {
    const clientId = await newClient({ address: { country: 'US' } });
    const created = await serviceClient(h.url, manager)('POST', `/api/clients/${clientId}/contacts`, {
      firstName: ' Jane ',
      lastName: 'Doe',
      email: 'Jane@Acme.test',
      phone: '(415) 555-0100',
      title: 'CTO',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/contacts/${created.body.id}`);
    expect(created.body).toMatchObject({
      clientId,
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane@acme.test',
      phone: '(415) 555-0100',
      phoneE164: '+14155550100',
      title: 'CTO',
      isPrimary: true,
    });
    const id = created.body.id as string;

    const read = await serviceClient(h.url, member)('GET', `/api/contacts/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const list = await serviceClient(h.url, member)('GET', `/api/clients/${clientId}/contacts`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, nextCursor: null });
    expect(list.body.data[0].id).toBe(id);

    const patched = await api('PATCH', `/api/contacts/${id}`, { title: null, phone: '+44 20 7946 0958', lastName: '' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: null, lastName: null, phone: '+44 20 7946 0958', phoneE164: '+442079460958', firstName: 'Jane', isPrimary: true });

    expect((await api('DELETE', `/api/contacts/${id}`)).status).toBe(204);
    expect((await api('GET', `/api/contacts/${id}`)).status).toBe(404);
    expect((await api('PATCH', `/api/contacts/${id}`, { title: 'x' })).status).toBe(404);
    expect((await api('DELETE', `/api/contacts/${id}`)).status).toBe(404);
    expect((await api('GET', `/api/clients/${clientId}/contacts`)).body.total).toBe(0);
  });

  it('normalises phones to E.164 using the client country, or only international numbers without one', async () => {
    const us = await newClient({ address: { country: 'US' } });
    const none = await newClient();
    const cases: [string, string, string | null][] = [
      [none, '+44 20 7946 0958', '+442079460958'],
      [us, '(415) 555-0100', '+14155550100'],
      [none, '(415) 555-0100', null],
      [us, '+1 555', null],
    ];
    for (const [clientId, phone, e164] of cases) {
      const res = await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'P', phone });
      expect(res.status).toBe(201);
      expect(res.body, phone).toMatchObject({ phone, phoneE164: e164 });
    }
    // Not a phone number at all: refused, naming the field.
    const refused = await api('POST', `/api/clients/${us}/contacts`, { firstName: 'P', phone: 'abc' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'phone', message: 'must be a phone number: it has no digits' }]);
    // Moving a contact re-reads its number in the new client's country.
    const moved = await api('POST', `/api/clients/${none}/contacts`, { firstName: 'Mover', phone: '(415) 555-0100' });
    expect(moved.body.phoneE164).toBeNull();
    const after = await api('PATCH', `/api/contacts/${moved.body.id}`, { clientId: us });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ clientId: us, phoneE164: '+14155550100', isPrimary: false });
  });

  it('lists with clientId, isPrimary, search, sort, cursor pagination and total', async () => {
    const clientId = await newClient();
    const names = ['Zoe Adams', 'Yann Baker', 'Xavier Clark', 'Wendy Davis', 'Victor Evans'];
    for (const [i, n] of names.entries()) {
      const [firstName, lastName] = n.split(' ');
      const res = await api('POST', `/api/clients/${clientId}/contacts`, { firstName, lastName, email: `${firstName!.toLowerCase()}@list.test`, isPrimary: i === 2 });
      expect(res.status).toBe(201);
    }
    const base = `/api/contacts?clientId=${clientId}`;
    const all = await api('GET', base);
    expect(all.body.total).toBe(5);
    expect(all.body.data.map((c: { lastName: string }) => c.lastName)).toEqual(['Adams', 'Baker', 'Clark', 'Davis', 'Evans']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const pageRes: Awaited<ReturnType<typeof api>> = await api('GET', `${base}&sort=firstName&order=desc&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(pageRes.status).toBe(200);
      expect(pageRes.body.total).toBe(5);
      seen.push(...pageRes.body.data.map((c: { firstName: string }) => c.firstName));
      cursor = pageRes.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Zoe', 'Yann', 'Xavier', 'Wendy', 'Victor']);

    const primary = await api('GET', `${base}&isPrimary=true`);
    expect(primary.body.data.map((c: { firstName: string }) => c.firstName)).toEqual(['Xavier']);
    expect((await api('GET', `${base}&search=WEND`)).body.data.map((c: { firstName: string }) => c.firstName)).toEqual(['Wendy']);
    expect((await api('GET', `${base}&search=${encodeURIComponent('yann@list')}`)).body.total).toBe(1);
    expect((await api('GET', `${base}&search=${encodeURIComponent('Victor Ev')}`)).body.total).toBe(1);
    expect((await api('GET', `${base}&search=${encodeURIComponent('%')}`)).body.total).toBe(0);

    const byCreated = await api('GET', `${base}&sort=createdAt&limit=2`);
    const next = await api('GET', `${base}&sort=createdAt&limit=2&cursor=${byCreated.body.nextCursor}`);
    expect(next.status).toBe(200);
    expect(next.body.data.map((c: { id: string }) => c.id)).not.toContain(byCreated.body.data[0].id);
    // A cursor from another sort, or a tampered one, is a 400, never a 500.
    expect((await api('GET', `${base}&sort=email&cursor=${byCreated.body.nextCursor}`)).status).toBe(400);
    const forged = Buffer.from(JSON.stringify({ key: 'contacts:createdAt:desc', value: 'yesterday', id: 'x' })).toString('base64url');
    expect((await api('GET', `${base}&sort=createdAt&cursor=${forged}`)).status).toBe(400);
  });

  it('moves a contact to another client of the agency, and rejects a client of another agency with 400 clientId', async () => {
    const from = await newClient();
    const to = await newClient();
    const c = (await api('POST', `/api/clients/${from}/contacts`, { firstName: 'Mo' })).body;
    const theirs = (await serviceClient(h.url, stranger)('POST', '/api/clients', { name: 'Theirs' })).body.id as string;
    for (const clientId of [theirs, randomUUID()]) {
      const res = await api('PATCH', `/api/contacts/${c.id}`, { clientId });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'clientId', message: expect.any(String) }]);
    }
    const moved = await api('PATCH', `/api/contacts/${c.id}`, { clientId: to, isPrimary: true });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ clientId: to, isPrimary: true });
    expect((await api('GET', `/api/clients/${from}/contacts`)).body.total).toBe(0);
  });

  it('bulk-deletes the contacts of the agency and skips unknown and foreign ids', async () => {
    const clientId = await newClient();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await api('POST', `/api/clients/${clientId}/contacts`, { firstName: `B${i}` })).body.id);
    const theirClient = (await serviceClient(h.url, stranger)('POST', '/api/clients', { name: 'Other' })).body.id as string;
    const theirs = (await serviceClient(h.url, stranger)('POST', `/api/clients/${theirClient}/contacts`, { firstName: 'Safe' })).body.id as string;

    expect((await serviceClient(h.url, member)('POST', '/api/contacts/bulk-delete', { ids })).status).toBe(403);
    const res = await serviceClient(h.url, manager)('POST', '/api/contacts/bulk-delete', { ids: [ids[0], ids[1], ids[1], theirs, randomUUID()] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted: 2 });
    expect((await api('GET', `/api/clients/${clientId}/contacts`)).body.data.map((c: { id: string }) => c.id)).toEqual([ids[2]]);
    expect((await serviceClient(h.url, stranger)('GET', `/api/contacts/${theirs}`)).status).toBe(200);

    for (const body of [{}, { ids: [] }, { ids: ['nope'] }, { ids: Array.from({ length: 501 }, () => randomUUID()) }, { ids: [ids[2]], extra: 1 }]) {
      const bad = await api('POST', '/api/contacts/bulk-delete', body);
      expect(bad.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(bad.body.errors.length).toBeGreaterThan(0);
    }
  });

  it('hides other agencies: their clients and contacts are 404', async () => {
    const clientId = await newClient();
    const contactId = (await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'Private' })).body.id as string;
    const them = serviceClient(h.url, stranger);
    expect((await them('GET', `/api/clients/${clientId}/contacts`)).status).toBe(404);
    expect((await them('POST', `/api/clients/${clientId}/contacts`, { firstName: 'Intruder' })).status).toBe(404);
    expect((await them('GET', `/api/contacts/${contactId}`)).status).toBe(404);
    expect((await them('PATCH', `/api/contacts/${contactId}`, { firstName: 'Hacked' })).status).toBe(404);
    expect((await them('PATCH', `/api/contacts/${contactId}`, { isPrimary: true })).status).toBe(404);
    expect((await them('DELETE', `/api/contacts/${contactId}`)).status).toBe(404);
    expect((await them('GET', `/api/contacts?clientId=${clientId}`)).body).toMatchObject({ data: [], total: 0 });
    expect((await them('GET', '/api/contacts/not-a-uuid')).status).toBe(404);
    expect((await api('GET', `/api/clients/${randomUUID()}/contacts`)).status).toBe(404);
    expect((await api('POST', `/api/clients/${randomUUID()}/contacts`, { firstName: 'Ghost' })).status).toBe(404);
    expect((await api('GET', `/api/contacts/${contactId}`)).body.firstName).toBe('Private');
  });

  it('lets members read but not write', async () => {
    const clientId = await newClient();
    const contactId = (await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'Ro' })).body.id as string;
    const m = serviceClient(h.url, member);
    expect((await m('GET', '/api/contacts')).status).toBe(200);
    expect((await m('POST', `/api/clients/${clientId}/contacts`, { firstName: 'No' })).status).toBe(403);
    expect((await m('PATCH', `/api/contacts/${contactId}`, { firstName: 'No' })).status).toBe(403);
    expect((await m('DELETE', `/api/contacts/${contactId}`)).status).toBe(403);
    expect((await api('GET', `/api/contacts/${contactId}`)).body.firstName).toBe('Ro');
  });

  it('rejects invalid bodies and queries with 400 and field paths', async () => {
    const clientId = await newClient();
    const contactId = (await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'Valid' })).body.id as string;
    const cases: [string, string, unknown, string[]][] = [
      ['POST', `/api/clients/${clientId}/contacts`, {}, ['firstName']],
      ['POST', `/api/clients/${clientId}/contacts`, { firstName: '   ' }, ['firstName']],
      ['POST', `/api/clients/${clientId}/contacts`, { firstName: 'A', email: 'not-an-email' }, ['email']],
      ['POST', `/api/clients/${clientId}/contacts`, { firstName: 'A', phone: 'x'.repeat(51), isPrimary: 'yes' }, ['phone', 'isPrimary']],
      ['POST', `/api/clients/${clientId}/contacts`, { firstName: 'A', clientId }, ['(body)']],
      ['PATCH', `/api/contacts/${contactId}`, { firstName: null }, ['firstName']],
      ['PATCH', `/api/contacts/${contactId}`, { clientId: 'abc', email: 3 }, ['email', 'clientId']],
    ];
    for (const [method, path, body, paths] of cases) {
      const res = await api(method, path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path).sort(), JSON.stringify(body)).toEqual([...paths].sort());
    }
    for (const q of ['limit=0', 'sort=name', 'isPrimary=maybe', 'clientId=abc']) {
      const res = await api('GET', `/api/contacts?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.errors[0].path, q).toMatch(/^query\./);
    }
  });

  it('puts contact events on the client timeline', async () => {
    const clientId = await newClient();
    const c = (await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'Jane', lastName: 'Doe' })).body;
    await api('PATCH', `/api/contacts/${c.id}`, { title: 'CEO' });
    await api('DELETE', `/api/contacts/${c.id}`);
    const entries = await waitFor(async () => {
      const t = await api('GET', `/api/timeline?clientId=${clientId}&entityKind=contact`);
      return t.body.data.length === 3 ? t.body.data : undefined;
    });
    expect(entries.map((e: { type: string; title: string }) => [e.type, e.title])).toEqual([
      ['crm.contact.deleted.v1', expect.stringMatching(/^Contact Jane Doe removed from /)],
      ['crm.contact.updated.v1', expect.stringMatching(/^Contact Jane Doe of .+ updated$/)],
      ['crm.contact.created.v1', expect.stringMatching(/^Contact Jane Doe added to /)],
    ]);
    for (const e of entries) expect(e).toMatchObject({ clientId, actorId: owner.userId, entity: { kind: 'contact', id: c.id } });
  });
});
