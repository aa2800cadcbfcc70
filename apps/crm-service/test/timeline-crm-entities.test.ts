import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';

let h: CrmHarness;
const owner = newPrincipal('owner');
let api: ReturnType<typeof serviceClient>;
let clientId: string;
let contactId: string;
let noteId: string;

interface Entry {
  id: string;
  type: string;
  title: string;
  occurredAt: string;
  entity: { kind: string; id: string };
}

beforeAll(async () => {
  h = await startCrm();
  api = serviceClient(h.url, owner);
  clientId = (await api('POST', '/api/clients', { name: 'Timeline Co' })).body.id;
  contactId = (await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'Jane', lastName: 'Doe' })).body.id;
  noteId = (await api('POST', `/api/clients/${clientId}/notes`, { body: 'First call' })).body.id;
  await api('PATCH', `/api/contacts/${contactId}`, { title: 'CTO' });
  await waitFor(async () => ((await api('GET', `/api/timeline?clientId=${clientId}`)).body.total === 4 ? true : undefined));
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const timeline = async (query: string) => {
  const res = await api('GET', `/api/timeline?clientId=${clientId}&${query}`);
  expect(res.status, query).toBe(200);
  return res.body as { data: Entry[]; nextCursor: string | null; total: number };
};

describe('timeline of contacts and notes', () => {
  it('files contact and note events under the client with their own kind, id and title', async () => {
    const all = await timeline('');
    expect(all.data.map((e) => [e.title, e.entity.kind, e.entity.id])).toEqual([
      ['Contact Jane Doe of Timeline Co updated', 'contact', contactId],
      ["Note added to Timeline Co: 'First call'", 'note', noteId],
      ['Contact Jane Doe added to Timeline Co', 'contact', contactId],
      ['Client Timeline Co created', 'client', clientId],
    ]);
  });

  it('filters by entity kind and by type', async () => {
    expect((await timeline('entityKind=contact')).data.map((e) => e.type)).toEqual(['crm.contact.updated.v1', 'crm.contact.created.v1']);
    expect((await timeline('entityKind=note')).data.map((e) => e.entity.id)).toEqual([noteId]);
    expect((await timeline('entityKind=project')).total).toBe(0);
    expect((await timeline('type=crm.contact.created.v1')).data.map((e) => e.title)).toEqual(['Contact Jane Doe added to Timeline Co']);
  });

  it('filters by date range', async () => {
    const all = await timeline('');
    const oldest = all.data.at(-1)!.occurredAt;
    const newest = all.data[0]!.occurredAt;
    expect((await timeline(`from=${encodeURIComponent(newest)}`)).data.map((e) => e.occurredAt)).toEqual([newest]);
    expect((await timeline(`to=${encodeURIComponent(oldest)}`)).data.map((e) => e.occurredAt)).toEqual([oldest]);
    // A bare date as `to` means the whole of that day.
    expect((await timeline(`from=${oldest.slice(0, 10)}&to=${newest.slice(0, 10)}`)).total).toBe(4);
    expect((await timeline(`to=2000-01-01`)).total).toBe(0);
    expect((await timeline(`from=2999-01-01T00:00:00Z`)).total).toBe(0);
  });

  it('pages with a cursor through every entry exactly once', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof timeline>> = await timeline(`limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(4);
      ids.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual((await timeline('')).data.map((e) => e.id));
    expect(new Set(ids).size).toBe(4);
  });
});
