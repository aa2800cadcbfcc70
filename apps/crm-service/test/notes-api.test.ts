import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';

let h: CrmHarness;
const owner = newPrincipal('owner');
const manager = newPrincipal('manager', owner.agencyId);
const member = newPrincipal('member', owner.agencyId);
const otherMember = newPrincipal('member', owner.agencyId);
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

const newClient = async () => (await api('POST', '/api/clients', { name: `Notes ${randomUUID().slice(0, 6)}` })).body.id as string;

describe('notes API', () => {
  it('lets any member add a note, records the author, and lists pinned first, then newest', async () => {
    const clientId = await newClient();
    const m = serviceClient(h.url, member);
    const created = await m('POST', `/api/clients/${clientId}/notes`, { body: '  Called about renewal  ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ clientId, body: 'Called about renewal', isPinned: false, authorId: member.userId });

    const bodies = ['one', 'two', 'three', 'four'];
    const ids: Record<string, string> = {};
    for (const body of bodies) ids[body] = (await api('POST', `/api/clients/${clientId}/notes`, { body, isPinned: body === 'two' })).body.id;
    await api('PATCH', `/api/notes/${ids.three}`, { isPinned: true });

    const expected = ['three', 'two', 'four', 'one', 'Called about renewal'];
    const all = await m('GET', `/api/clients/${clientId}/notes`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(5);
    expect(all.body.data.map((n: { body: string }) => n.body)).toEqual(expected);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof api>> = await m('GET', `/api/clients/${clientId}/notes?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(5);
      seen.push(...page.body.data.map((n: { body: string }) => n.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);

    const forged = Buffer.from(JSON.stringify({ key: 'notes:pinned-created:desc', value: '1|soon', id: randomUUID() })).toString('base64url');
    expect((await m('GET', `/api/clients/${clientId}/notes?cursor=${forged}`)).status).toBe(400);
    expect((await m('GET', `/api/clients/${clientId}/notes?cursor=abc`)).status).toBe(400);
  });

  it('lets authors edit and delete their own notes, managers any note, and other members none (403)', async () => {
    const clientId = await newClient();
    const mine = serviceClient(h.url, member);
    const note = (await mine('POST', `/api/clients/${clientId}/notes`, { body: 'mine' })).body;

    const other = serviceClient(h.url, otherMember);
    expect((await other('PATCH', `/api/notes/${note.id}`, { body: 'theirs now' })).status).toBe(403);
    expect((await other('PATCH', `/api/notes/${note.id}`, { isPinned: true })).status).toBe(403);
    expect((await other('DELETE', `/api/notes/${note.id}`)).status).toBe(403);

    const edited = await mine('PATCH', `/api/notes/${note.id}`, { body: 'mine, edited', isPinned: true });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ body: 'mine, edited', isPinned: true, authorId: member.userId });
    expect(Date.parse(edited.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(note.updatedAt));

    const byManager = await serviceClient(h.url, manager)('PATCH', `/api/notes/${note.id}`, { isPinned: false });
    expect(byManager.status).toBe(200);
    expect(byManager.body).toMatchObject({ body: 'mine, edited', isPinned: false, authorId: member.userId });

    const managers = (await serviceClient(h.url, manager)('POST', `/api/clients/${clientId}/notes`, { body: 'by manager' })).body;
    expect((await mine('DELETE', `/api/notes/${managers.id}`)).status).toBe(403);
    expect((await api('DELETE', `/api/notes/${managers.id}`)).status).toBe(204);

    expect((await mine('DELETE', `/api/notes/${note.id}`)).status).toBe(204);
    expect((await mine('DELETE', `/api/notes/${note.id}`)).status).toBe(404);
    expect((await mine('PATCH', `/api/notes/${note.id}`, { body: 'ghost' })).status).toBe(404);
    expect((await api('GET', `/api/clients/${clientId}/notes`)).body.total).toBe(0);
  });

  it('hides other agencies: their clients and notes are 404', async () => {
    const clientId = await newClient();
    const note = (await api('POST', `/api/clients/${clientId}/notes`, { body: 'secret' })).body;
    const them = serviceClient(h.url, stranger);
    expect((await them('GET', `/api/clients/${clientId}/notes`)).status).toBe(404);
    expect((await them('POST', `/api/clients/${clientId}/notes`, { body: 'intrusion' })).status).toBe(404);
    expect((await them('PATCH', `/api/notes/${note.id}`, { body: 'hacked' })).status).toBe(404);
    expect((await them('DELETE', `/api/notes/${note.id}`)).status).toBe(404);
    expect((await api('GET', `/api/clients/${randomUUID()}/notes`)).status).toBe(404);
    expect((await api('POST', `/api/clients/${randomUUID()}/notes`, { body: 'x' })).status).toBe(404);
    expect((await api('PATCH', '/api/notes/not-a-uuid', { body: 'x' })).status).toBe(404);
    expect((await api('GET', `/api/clients/${clientId}/notes`)).body.data.map((n: { body: string }) => n.body)).toEqual(['secret']);
  });

  it('rejects invalid bodies and queries with 400 and field paths', async () => {
    const clientId = await newClient();
    const note = (await api('POST', `/api/clients/${clientId}/notes`, { body: 'valid' })).body;
    const cases: [string, string, unknown, string[]][] = [
      ['POST', `/api/clients/${clientId}/notes`, {}, ['body']],
      ['POST', `/api/clients/${clientId}/notes`, { body: '   ' }, ['body']],
      ['POST', `/api/clients/${clientId}/notes`, { body: 'x'.repeat(20_001) }, ['body']],
      ['POST', `/api/clients/${clientId}/notes`, { body: 'ok', isPinned: 'yes' }, ['isPinned']],
      ['POST', `/api/clients/${clientId}/notes`, { body: 'ok', authorId: owner.userId }, ['(body)']],
      ['PATCH', `/api/notes/${note.id}`, { body: null }, ['body']],
      ['PATCH', `/api/notes/${note.id}`, { isPinned: 1, clientId }, ['isPinned', '(body)']],
    ];
    for (const [method, path, body, paths] of cases) {
      const res = await api(method, path, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([...paths].sort());
    }
    const q = await api('GET', `/api/clients/${clientId}/notes?limit=500`);
    expect(q.status).toBe(400);
    expect(q.body.errors[0].path).toBe('query.limit');
  });

  it('puts note events on the client timeline with kind note', async () => {
    const clientId = await newClient();
    const note = (await serviceClient(h.url, member)('POST', `/api/clients/${clientId}/notes`, { body: 'hello' })).body;
    await api('PATCH', `/api/notes/${note.id}`, { isPinned: true });
    await api('PATCH', `/api/notes/${note.id}`, { body: 'hello again', isPinned: true });
    await api('PATCH', `/api/notes/${note.id}`, { isPinned: false });
    await api('PATCH', `/api/notes/${note.id}`, { body: 'hello again' });
    await api('DELETE', `/api/notes/${note.id}`);
    const entries = await waitFor(async () => {
      const t = await api('GET', `/api/timeline?clientId=${clientId}&entityKind=note`);
      return t.body.data.length === 6 ? t.body.data : undefined;
    });
    const name = (await api('GET', `/api/clients/${clientId}`)).body.name as string;
    expect(entries.map((e: { type: string; title: string }) => [e.type, e.title])).toEqual([
      ['crm.note.deleted.v1', `Note deleted from ${name}`],
      // A save that changed nothing.
      ['crm.note.updated.v1', `Note on ${name} updated`],
      ['crm.note.updated.v1', `Note on ${name} unpinned`],
      ['crm.note.updated.v1', `Note on ${name} edited: 'hello again'`],
      ['crm.note.updated.v1', `Note on ${name} pinned`],
      ['crm.note.created.v1', `Note added to ${name}: 'hello'`],
    ]);
    for (const e of entries) expect(e).toMatchObject({ clientId, entity: { kind: 'note', id: note.id } });
    expect(entries[5].actorId).toBe(member.userId);
  });
});
