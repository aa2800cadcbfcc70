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

describe('contacts, notes, search and timeline through the gateway', () => {
  it('runs a contact and note lifecycle with roles, tenancy and the timeline', async () => {
    const clientId = (await owner.post('/api/clients', { name: 'ACME Corp', address: { country: 'US' } })).body.id as string;
    const jane = await owner.post(`/api/clients/${clientId}/contacts`, { firstName: 'Jane', lastName: 'Doe', phone: '(415) 555-0100' });
    expect(jane.status).toBe(201);
    expect(jane.body).toMatchObject({ isPrimary: true, phoneE164: '+14155550100' });
    const bob = (await owner.post(`/api/clients/${clientId}/contacts`, { firstName: 'Bob', isPrimary: true })).body;
    expect((await owner.get(`/api/contacts/${jane.body.id}`)).body.isPrimary).toBe(false);

    // Members read contacts and write notes; they cannot change contacts or others' notes.
    expect((await member.get(`/api/contacts?clientId=${clientId}`)).body.total).toBe(2);
    expect((await member.patch(`/api/contacts/${bob.id}`, { title: 'x' })).status).toBe(403);
    const note = await member.post(`/api/clients/${clientId}/notes`, { body: 'Met at the fair' });
    expect(note.status).toBe(201);
    const ownerNote = (await owner.post(`/api/clients/${clientId}/notes`, { body: 'Owner only' })).body;
    expect((await member.patch(`/api/notes/${ownerNote.id}`, { isPinned: true })).status).toBe(403);
    expect((await owner.patch(`/api/notes/${note.body.id}`, { isPinned: true })).status).toBe(200);
    expect((await member.get(`/api/clients/${clientId}/notes`)).body.data.map((n: { body: string }) => n.body)).toEqual(['Met at the fair', 'Owner only']);

    // Search finds the client and its people.
    const found = await member.get('/api/search?q=acm');
    expect(found.status).toBe(200);
    expect(found.body.clients.map((c: { id: string }) => c.id)).toEqual([clientId]);
    expect(found.body.contacts.map((c: { firstName: string }) => c.firstName)).toEqual(['Bob', 'Jane']);

    // Another agency sees none of it.
    expect((await other.get(`/api/contacts/${bob.id}`)).status).toBe(404);
    expect((await other.patch(`/api/notes/${note.body.id}`, { body: 'x' })).status).toBe(404);
    expect((await other.get('/api/search?q=acm')).body).toEqual({ clients: [], contacts: [] });

    const bulk = await owner.post('/api/contacts/bulk-delete', { ids: [bob.id, jane.body.id] });
    expect(bulk.body).toEqual({ deleted: 2 });

    const kinds = await waitFor(async () => {
      const t = await owner.get(`/api/timeline?clientId=${clientId}`);
      return t.body.total === 9 ? t.body.data.map((e: { entity: { kind: string } }) => e.entity.kind) : undefined;
    });
    // client created; 2 contacts created + 1 demotion; 2 notes created + 1 pinned; 2 contacts deleted.
    expect(kinds.filter((k: string) => k === 'contact')).toHaveLength(5);
    expect(kinds.filter((k: string) => k === 'note')).toHaveLength(3);
    const contactTitles = (await owner.get(`/api/timeline?clientId=${clientId}&entityKind=contact&type=crm.contact.created.v1`)).body.data.map(
      (e: { title: string }) => e.title,
    );
    expect(contactTitles).toEqual([expect.stringMatching(/^Contact Bob added to /), expect.stringMatching(/^Contact Jane Doe added to /)]);

    expect((await owner.delete(`/api/clients/${clientId}`)).status).toBe(204);
    expect((await owner.get(`/api/clients/${clientId}/notes`)).status).toBe(404);
    expect((await member.delete(`/api/notes/${note.body.id}`)).status).toBe(404);
  });
});
