import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventPayloads, type EventEnvelope } from '@atelier/contracts';
import { waitFor } from '@atelier/platform/testing';
import { Browser, signUp, uniqueEmail } from './gateway-harness.js';
import { startIdentityStack, type IdentityStack } from './identity-harness.js';

let stack: IdentityStack;
beforeAll(async () => {
  stack = await startIdentityStack();
});
afterAll(async () => {
  await stack?.stop();
});

// A 1×1 PNG and the start of a JPEG; a GIF that claims to be a PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
const GIF = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');

async function upload(browser: Browser, bytes: Buffer, type: string) {
  const res = await fetch(`${browser['base']}/api/agency/logo`, {
    method: 'PUT',
    headers: { 'content-type': type, origin: 'http://atelier.test', cookie: browser.cookie },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const eventsOf = (agencyId: string, name?: string) => stack.events.filter((e) => e.agencyId === agencyId && (!name || e.name === name));

describe('GET/PATCH /api/agency', () => {
  it('returns the profile; owners and admins change it; timezone is IANA; members get 403', async () => {
    const { browser, me } = await signUp(stack.url, 'Profile Co');
    const initial = await browser.get('/api/agency');
    expect(initial.body).toEqual({ id: me.agency.id, name: 'Profile Co', timezone: 'UTC', currency: 'EUR', email: null, phone: null, website: null, address: null, taxId: null, country: null, logo: null });

    const patched = await browser.patch('/api/agency', {
      name: 'Profile & Co',
      timezone: 'europe/berlin',
      currency: 'USD',
      email: 'Hello@Profile.test',
      phone: '+49 30 1234567',
      website: 'https://profile.test',
      address: 'Hauptstr. 1\n10115 Berlin',
      taxId: 'DE123456789',
      country: 'de',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Profile & Co', timezone: 'Europe/Berlin', currency: 'USD', email: 'hello@profile.test', address: 'Hauptstr. 1\n10115 Berlin', country: 'DE' });
    expect((await browser.get('/api/auth/me')).body.agency.name).toBe('Profile & Co');
    expect((await browser.patch('/api/agency', { phone: '' })).body.phone).toBeNull();

    const bad = await browser.patch('/api/agency', { timezone: 'Mars/Olympus', currency: 'euro', website: 'javascript:alert(1)', country: 'Germany', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['(body)', 'country', 'currency', 'timezone', 'website']);
    expect((await browser.patch('/api/agency', { country: '' })).body.country).toBeNull();
    expect((await browser.patch('/api/agency', { country: 'DE' })).body.country).toBe('DE');
    expect((await browser.patch('/api/agency', { timezone: '+02:00' })).status).toBe(400);
    expect((await browser.get('/api/agency')).body.timezone).toBe('Europe/Berlin');

    const inv = await browser.post('/api/auth/invitations', { email: uniqueEmail(), role: 'member' });
    const member = new Browser(stack.url);
    await member.post(`/api/auth/invitations/${inv.body.token}/accept`, { name: 'M', password: 'long enough password' });
    expect((await member.get('/api/agency')).status).toBe(200);
    const denied = await member.patch('/api/agency', { name: 'Mine now' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('agency.forbidden');
  });

  it('takes a PNG or JPEG logo up to 1 MB, checked by its bytes, and removes it', async () => {
    const { browser } = await signUp(stack.url);
    const png = await upload(browser, PNG, 'image/png');
    expect(png.status).toBe(200);
    expect(png.body.logo).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    // The declared type does not matter, the content does.
    expect((await upload(browser, JPEG, 'image/png')).body.logo).toMatch(/^data:image\/jpeg;base64,/);
    const gif = await upload(browser, GIF, 'image/png');
    expect(gif.status).toBe(415);
    expect(gif.body.code).toBe('agency.logo_type');
    const big = await upload(browser, Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]), 'image/png');
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('agency.logo_too_large');
    expect((await browser.get('/api/agency')).body.logo).toMatch(/^data:image\/jpeg;base64,/);
    expect((await browser.delete('/api/agency/logo')).status).toBe(204);
    expect((await browser.get('/api/agency')).body.logo).toBeNull();
  });
});

describe('identity events through the gateway outbox', () => {
  it('publishes agency and member snapshots with growing versions, valid against the contract', async () => {
    const { browser: owner, me } = await signUp(stack.url, 'Events Co');
    const agencyId = me.agency.id;
    await waitFor(() => eventsOf(agencyId, 'identity.member.joined.v1').length === 1 && eventsOf(agencyId, 'identity.agency.updated.v1').length === 1);
    expect(eventsOf(agencyId, 'identity.agency.updated.v1')[0]!.payload).toMatchObject({ agency: { id: agencyId, name: 'Events Co' }, version: 1 });

    await owner.patch('/api/agency', { timezone: 'America/New_York', country: 'US' });
    const inv = await owner.post('/api/auth/invitations', { email: uniqueEmail('ev'), role: 'member' });
    const member = new Browser(stack.url);
    const joined = await member.post(`/api/auth/invitations/${inv.body.token}/accept`, { name: 'Eve Member', password: 'long enough password' });
    const userId = joined.body.user.id;
    await owner.patch(`/api/auth/members/${userId}`, { role: 'manager' });
    await member.patch('/api/auth/me', { name: 'Eve Renamed' });
    await owner.delete(`/api/auth/members/${userId}`);
    const memberEvents = () => eventsOf(agencyId).filter((e) => e.name.startsWith('identity.member.') && (e.payload as { member?: { userId: string }; userId?: string }).member?.userId !== me.user.id);
    await waitFor(() => memberEvents().length === 4);

    // The account outlives the membership: invited again, they accept with their password, under a later version.
    const again = await owner.post('/api/auth/invitations', { email: joined.body.user.email, role: 'admin' });
    const back = await new Browser(stack.url).post(`/api/auth/invitations/${again.body.token}/accept`, { password: 'long enough password' });
    expect(back.status).toBe(201);
    await waitFor(() => memberEvents().length === 5);
    const seen = memberEvents().map((e) => e.name);
    expect(seen).toEqual(['identity.member.joined.v1', 'identity.member.updated.v1', 'identity.member.updated.v1', 'identity.member.removed.v1', 'identity.member.joined.v1']);
    const versions = memberEvents().map((e) => (e.payload as { version: number }).version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(5);
    expect(memberEvents()[4]!.payload).toMatchObject({ member: { userId, role: 'admin' } });
    expect(memberEvents()[2]!.payload).toMatchObject({ member: { userId, name: 'Eve Renamed', role: 'manager' } });
    expect(memberEvents()[3]!.payload).toMatchObject({ userId, name: 'Eve Renamed' });

    await waitFor(() => eventsOf(agencyId, 'identity.agency.updated.v1').length === 2);
    const latest = eventsOf(agencyId, 'identity.agency.updated.v1')[1]!;
    expect(latest.payload).toMatchObject({ agency: { timezone: 'America/New_York', country: 'US' }, version: 2 });
    expect(latest.actorId).toBe(me.user.id);

    for (const e of eventsOf(agencyId) as EventEnvelope[]) {
      const schema = eventPayloads[e.name as keyof typeof eventPayloads];
      expect(schema.safeParse(e.payload).success, e.name).toBe(true);
    }
  });
});
