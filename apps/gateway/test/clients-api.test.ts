import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@atelier/platform/testing';
import { Browser, signUp, startStack, uniqueEmail, type Stack } from './gateway-harness.js';

let stack: Stack;
let owner: Browser;
let other: Browser;
let member: Browser;

beforeAll(async () => {
  stack = await startStack();
  owner = (await signUp(stack.url, 'Agency A')).browser;
  other = (await signUp(stack.url, 'Agency B')).browser;
  const email = uniqueEmail('member');
  const inv = await owner.post('/api/auth/invitations', { email, role: 'member' });
  member = new Browser(stack.url);
  await member.post(`/api/auth/invitations/${inv.body.token}/accept`, { name: 'Mia Member', password: 'member password 1' });
});
afterAll(async () => {
  await stack?.stop();
});

describe('clients through the gateway', () => {
  it('runs the whole client lifecycle and the timeline shows each event', async () => {
    const created = await owner.post('/api/clients', {
      name: 'ACME Corp',
      email: 'hello@acme.test',
      phone: '+1 555 0100',
      website: 'https://acme.test',
      address: { line1: '1 Main St', line2: null, city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
      currency: 'USD',
      taxId: 'US-123',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toEqual({
      id,
      name: 'ACME Corp',
      email: 'hello@acme.test',
      phone: '+1 555 0100',
      website: 'https://acme.test',
      address: { line1: '1 Main St', line2: null, city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
      currency: 'USD',
      taxId: 'US-123',
      isActive: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await owner.get(`/api/clients/${id}`)).body).toEqual(created.body);

    const patched = await owner.patch(`/api/clients/${id}`, { isActive: false, taxId: null });
    expect(patched.body).toMatchObject({ isActive: false, taxId: null, name: 'ACME Corp' });

    const timeline = await waitFor(async () => {
      const t = await owner.get(`/api/timeline?clientId=${id}`);
      return t.body.total === 2 ? t.body : undefined;
    });
    expect(timeline.data[0]).toMatchObject({ type: 'crm.client.updated.v1', clientId: id, entity: { kind: 'client', id }, clientName: 'ACME Corp', clientDeleted: false });
    // Who did it comes from crm's replica of the gateway's members (identity.member.* events).
    const named = await waitFor(async () => {
      const t = await owner.get(`/api/timeline?clientId=${id}`);
      return t.body.data.every((e: { actorName: string | null }) => e.actorName === 'Olivia Owner') ? t.body : undefined;
    });
    expect(named.data.map((e: { title: string }) => e.title)).toEqual(['Client ACME Corp deactivated by Olivia Owner', 'Client ACME Corp created by Olivia Owner']);

    expect((await owner.delete(`/api/clients/${id}`)).status).toBe(204);
    expect((await owner.get(`/api/clients/${id}`)).status).toBe(404);
    await waitFor(async () => ((await owner.get(`/api/timeline?clientId=${id}&type=crm.client.deleted.v1`)).body.total === 1 ? true : undefined));
    // Every entry of the deleted client says so, for a timeline that must not link to its page.
    const after = (await owner.get(`/api/timeline?clientId=${id}`)).body.data as { clientDeleted: boolean }[];
    expect(after.map((e) => e.clientDeleted)).toEqual([true, true, true]);
  });

  it('hides another agency’s clients: read, update and delete are 404, and lists never show them', async () => {
    const theirs = await other.post('/api/clients', { name: 'Their Secret Client' });
    const id = theirs.body.id;
    expect((await owner.get(`/api/clients/${id}`)).status).toBe(404);
    expect((await owner.patch(`/api/clients/${id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await owner.delete(`/api/clients/${id}`)).status).toBe(404);
    expect((await owner.get('/api/clients?search=Secret')).body.total).toBe(0);
    expect((await owner.get(`/api/timeline?clientId=${id}`)).body.total).toBe(0);
    expect((await other.get(`/api/clients/${id}`)).body.name).toBe('Their Secret Client');
  });

  it('lets members read but not write', async () => {
    const c = await owner.post('/api/clients', { name: 'Readable' });
    expect((await member.get(`/api/clients/${c.body.id}`)).status).toBe(200);
    expect((await member.get('/api/clients')).status).toBe(200);
    expect((await member.post('/api/clients', { name: 'Nope' })).status).toBe(403);
    expect((await member.patch(`/api/clients/${c.body.id}`, { name: 'Nope' })).status).toBe(403);
    expect((await member.delete(`/api/clients/${c.body.id}`)).status).toBe(403);
  });

  it('answers invalid bodies with 400 and the path of every bad field', async () => {
    const res = await owner.post('/api/clients', {
      name: '',
      email: 'not-an-email',
      website: 'ftp://x',
      currency: 'usd',
      address: { country: 'USA', city: 5 },
      extra: true,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['(body)', 'address.city', 'address.country', 'currency', 'email', 'name', 'website']);
    const bad = await owner.get('/api/clients?limit=500&sort=evil&order=up&isActive=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.isActive', 'query.limit', 'query.order', 'query.sort']);
    expect((await owner.get('/api/clients?cursor=garbage')).status).toBe(400);
  });

  it('lists with search, isActive filter, sort and cursor pagination with a total', async () => {
    const agency = (await signUp(stack.url, 'Listing Co')).browser;
    const names = ['Delta', 'alpha', 'Charlie', 'Bravo', 'Echo', 'Foxtrot', 'Golf'];
    for (const name of names) await agency.post('/api/clients', { name, email: `${name.toLowerCase()}@list.test`, isActive: name !== 'Echo' });

    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { name: string }[]; nextCursor: string | null; total: number } } = await agency.get(
        `/api/clients?limit=3&sort=name&order=asc${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.total).toBe(7);
      all.push(...page.body.data.map((c) => c.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all).toEqual(['alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf'].sort((a, b) => (a < b ? -1 : 1)));

    const desc = await agency.get('/api/clients?sort=createdAt&order=desc&limit=2');
    expect(desc.body.data.map((c: { name: string }) => c.name)).toEqual(['Golf', 'Foxtrot']);
    const second = await agency.get(`/api/clients?sort=createdAt&order=desc&limit=2&cursor=${desc.body.nextCursor}`);
    expect(second.body.data.map((c: { name: string }) => c.name)).toEqual(['Echo', 'Bravo']);

    expect((await agency.get('/api/clients?isActive=false')).body.data.map((c: { name: string }) => c.name)).toEqual(['Echo']);
    expect((await agency.get('/api/clients?isActive=true')).body.total).toBe(6);
    const search = await agency.get('/api/clients?search=RAV');
    expect(search.body.data.map((c: { name: string }) => c.name)).toEqual(['Bravo']);
    expect((await agency.get('/api/clients?search=golf@list')).body.total).toBe(1);
    expect((await agency.get('/api/clients?search=%25')).body.total).toBe(0);
  });
});
