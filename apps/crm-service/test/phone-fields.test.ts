import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';

let h: CrmHarness;
beforeAll(async () => {
  h = await startCrm();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('phone fields', () => {
  it('refuse a client phone with no digits or that cannot be a number, naming the field, and write nothing', async () => {
    const api = serviceClient(h.url, newPrincipal('owner'));
    for (const phone of ['call me maybe!!!', '555-CALL-NOW', '12', '1234567890123456789']) {
      const res = await api('POST', '/api/clients', { name: `Phone ${phone}`, phone });
      expect(res.status, phone).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'phone', message: expect.stringMatching(/^must be a phone number/) }]);
    }
    expect((await api('GET', '/api/clients')).body.total).toBe(0);
  });

  it('keep a plausible phone exactly as typed, on create and on update', async () => {
    const api = serviceClient(h.url, newPrincipal('owner'));
    const created = await api('POST', '/api/clients', { name: 'Plausible', phone: '+44 20 7946 0958' });
    expect(created.status).toBe(201);
    expect(created.body.phone).toBe('+44 20 7946 0958');
    const patched = await api('PATCH', `/api/clients/${created.body.id}`, { phone: '(415) 555-0100 ext. 12' });
    expect(patched.status).toBe(200);
    expect(patched.body.phone).toBe('(415) 555-0100 ext. 12');
    const refused = await api('PATCH', `/api/clients/${created.body.id}`, { phone: 'ring ring' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'phone', message: 'must be a phone number: it has no digits' }]);
    expect((await api('GET', `/api/clients/${created.body.id}`)).body.phone).toBe('(415) 555-0100 ext. 12');
  });

  it('refuse a contact phone that cannot be a number, on create and on update', async () => {
    const api = serviceClient(h.url, newPrincipal('owner'));
    const client = await api('POST', '/api/clients', { name: 'Contacts Inc', address: { country: 'GB' } });
    const bad = await api('POST', `/api/clients/${client.body.id}/contacts`, { firstName: 'Ann', phone: 'call me maybe!!!' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'phone', message: 'must be a phone number: it has no digits' }]);
    expect((await api('GET', `/api/clients/${client.body.id}/contacts`)).body.data).toEqual([]);

    const ok = await api('POST', `/api/clients/${client.body.id}/contacts`, { firstName: 'Ann', phone: '020 7946 0958' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ phone: '020 7946 0958', phoneE164: '+442079460958' });
    const patched = await api('PATCH', `/api/contacts/${ok.body.id}`, { phone: 'x' });
    expect(patched.status).toBe(400);
    expect(patched.body.errors[0].path).toBe('phone');
  });
});
