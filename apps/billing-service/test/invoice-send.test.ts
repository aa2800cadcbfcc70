import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, Money } from '@atelier/money';
import { billingEvents, Invoice, PublicInvoice } from '@atelier/contracts';
import { Readable } from 'node:stream';
import { BLOB_COLLECT_JOB, INTERNAL_TOKEN_HEADER, tenantTx, type Db } from '@atelier/platform';
import {
  internalTokenFor,
  linkIn,
  malformedBodies,
  newPrincipal,
  serviceClient,
  startTestSmtp,
  stopTestService,
  waitFor,
  type ReceivedMail,
  type TestPrincipal,
  type TestSmtp,
  TEST_BLOB_GRACE_MS,
} from '@atelier/platform/testing';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { outboxEvents } from './invoice-helpers.js';
import { pdfText } from './pdf-text.js';
import { getBytes, publicGet, seedAgencyDetails, seedBillClient, seedContact, sha256, storedDocument, updateAgency } from './send-helpers.js';

let h: BillingHarness;
let db: Db;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  // No grace for unreferenced blobs: the collection test below runs the kit's collector at once.
  h = await startBilling({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Atelier <no-reply@atelier.test>' }, jobRunner: { pollMs: 50 }, blobs: { graceMs: TEST_BLOB_GRACE_MS } });
  db = h.service.ctx.database.db;
}, 60_000);
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
  await smtp.stop();
});

const as = (who: TestPrincipal) => serviceClient(h.url, who);
const line = (quantity: string, unitPrice: string, description = 'Design work') => ({ description, quantity, unitPrice });
const eur = (v: string, currency = 'EUR') => formatMoney(Money.of(v, currency), { locale: 'en-US' });
const pdfAttachment = (mail: ReceivedMail) => {
  const a = mail.parsed.attachments.find((x) => x.contentType === 'application/pdf');
  if (!a) throw new Error('no PDF attached');
  return a;
};
const headerLines = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n');

/** An agency with details, a client with a primary contact, and a draft of 1,000.00 + 138.66 at 19 %. */
async function setup(options: { contact?: boolean; clientEmail?: string | null; currency?: string } = {}) {
  const owner = newPrincipal('owner');
  await seedAgencyDetails(db, owner.agencyId);
  const clientId = await seedBillClient(db, owner.agencyId, { email: options.clientEmail === undefined ? 'accounts@acme.example' : options.clientEmail, currency: options.currency ?? 'EUR' });
  if (options.contact !== false) await seedContact(db, owner.agencyId, clientId, { email: `ada+${owner.agencyId.slice(0, 8)}@acme.example` });
  const api = as(owner);
  const draft = await api('POST', '/api/invoices', { clientId, taxRate: '19', lineItems: [line('1', '1000.00'), line('1', '138.66', 'Hosting')], notes: 'Thank you!' });
  expect(draft.status).toBe(201);
  return { owner, api, clientId, id: draft.body.id as string, contactEmail: `ada+${owner.agencyId.slice(0, 8)}@acme.example` };
}

describe('POST /api/invoices/:id/send', () => {
  it('issues the number, stores the PDF once, mails it (HTML, text, PDF, public link) to the primary contact with cc, Reply-To and From name', async () => {
    const { owner, api, id, contactEmail } = await setup();
    await api('PATCH', '/api/settings/invoicing', { fromName: 'Studio Nord Billing', replyTo: 'accounts@studio-nord.example', footer: 'IBAN DE89 3704 0044 0532 0130 00' });
    const sent = await api('POST', `/api/invoices/${id}/send`, { cc: ['boss@acme.example'], message: 'Here is our invoice for November.' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'sent', subtotal: '1138.66', taxAmount: '216.35', total: '1355.01', amountDue: '1355.01' });
    expect(sent.body.number).toMatch(/^INV-\d{4}-0001$/);
    expect(sent.body.sentAt).not.toBeNull();
    expect(Invoice.safeParse(sent.body).success).toBe(true);

    const mail = await smtp.next((m) => m.rcptTo.includes(contactEmail));
    expect(mail.rcptTo.sort()).toEqual([contactEmail, 'boss@acme.example'].sort());
    expect(mail.parsed.subject).toBe(`Invoice ${sent.body.number} from Studio Nord GmbH`);
    expect(mail.parsed.from?.value).toEqual([{ name: 'Studio Nord Billing', address: 'no-reply@atelier.test' }]);
    expect(mail.parsed.replyTo?.value[0]?.address).toBe('accounts@studio-nord.example');
    expect(mail.parsed.to && !Array.isArray(mail.parsed.to) ? mail.parsed.to.value[0] : null).toEqual({ name: 'Ada Lovelace', address: contactEmail });
    expect(mail.parsed.text).toContain('Here is our invoice for November.');
    expect(mail.parsed.text).toContain(eur('1355.01'));
    expect(mail.parsed.html).toContain(eur('1355.01'));
    expect(mail.parsed.text).toContain(sent.body.publicUrl);
    expect(linkIn(mail, 'http://localhost:3000/i/')).toBe(sent.body.publicUrl);

    // The attachment is the stored PDF, byte for byte, and it prints the API's figures.
    const attachment = pdfAttachment(mail);
    expect(attachment.filename).toBe(`${sent.body.number}.pdf`);
    const doc = await storedDocument(db, owner.agencyId, id);
    expect(doc).toBeDefined();
    expect(sha256(attachment.content)).toBe(doc!.sha256);
    expect(attachment.content.length).toBe(doc!.size);
    const text = await pdfText(attachment.content);
    for (const figure of ['1000.00', '138.66', '1138.66', '216.35', '1355.01']) expect(text).toContain(eur(figure));
    expect(text).toContain(sent.body.number);
    expect(text).toContain('Acme Corporation');
    expect(text).not.toMatch(/DRAFT/);

    const token = await internalTokenFor(h.url, owner);
    const pdf = await getBytes(h.url, `/api/invoices/${id}/pdf`, token);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(sha256(pdf.bytes)).toBe(doc!.sha256);

    const sentEvents = await outboxEvents(db, owner.agencyId, 'billing.invoice.sent.v1');
    expect(sentEvents).toHaveLength(1);
    expect(billingEvents['billing.invoice.sent.v1'].safeParse(sentEvents[0]!.payload).success).toBe(true);
    expect(sentEvents[0]!.payload).toMatchObject({ invoiceId: id, number: sent.body.number, to: contactEmail, cc: ['boss@acme.example'], status: 'sent', total: '1355.01' });
    expect(await outboxEvents(db, owner.agencyId, 'billing.invoice.issued.v1')).toHaveLength(1);
  });

  it('re-sending a sent invoice sends the same stored PDF under the same number; the PDF stays byte-identical after the agency changes', async () => {
    const { owner, api, id } = await setup();
    const first = await api('POST', `/api/invoices/${id}/send`, { to: 'first@acme.example' });
    const m1 = await smtp.next((m) => m.rcptTo.includes('first@acme.example'));
    await updateAgency(db, owner.agencyId, { name: 'Renamed Agency AG', address: 'Elsewhere 1', logo: null });
    const again = await api('POST', `/api/invoices/${id}/send`, { to: 'second@acme.example' });
    expect(again.status).toBe(200);
    expect(again.body.number).toBe(first.body.number);
    const m2 = await smtp.next((m) => m.rcptTo.includes('second@acme.example'));
    expect(sha256(pdfAttachment(m2).content)).toBe(sha256(pdfAttachment(m1).content));
    const token = await internalTokenFor(h.url, owner);
    const shas = new Set<string>();
    for (let i = 0; i < 3; i++) shas.add(sha256((await getBytes(h.url, `/api/invoices/${id}/pdf`, token)).bytes));
    expect([...shas]).toEqual([sha256(pdfAttachment(m1).content)]);
    expect(await outboxEvents(db, owner.agencyId, 'billing.invoice.issued.v1')).toHaveLength(1);
    expect(await outboxEvents(db, owner.agencyId, 'billing.invoice.sent.v1')).toHaveLength(2);
  });

  it('two sends of one draft at once issue one number and store one PDF; both mails carry it', async () => {
    const { owner, api, id } = await setup();
    const [a, b] = await Promise.all([api('POST', `/api/invoices/${id}/send`, { to: 'race-a@acme.example' }), api('POST', `/api/invoices/${id}/send`, { to: 'race-b@acme.example' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.number).toBe(b.body.number);
    const [ma, mb] = await Promise.all([smtp.next((m) => m.rcptTo.includes('race-a@acme.example')), smtp.next((m) => m.rcptTo.includes('race-b@acme.example'))]);
    expect(sha256(pdfAttachment(ma).content)).toBe(sha256(pdfAttachment(mb).content));
    expect(sha256(pdfAttachment(ma).content)).toBe((await storedDocument(db, owner.agencyId, id))!.sha256);
    expect(await outboxEvents(db, owner.agencyId, 'billing.invoice.issued.v1')).toHaveLength(1);
  });

  it('goes to the client email without a primary contact; without either it is a 400 naming `to`, and nothing changed', async () => {
    const a = await setup({ contact: false, clientEmail: 'ap@client.example' });
    expect((await a.api('POST', `/api/invoices/${a.id}/send`, {})).status).toBe(200);
    await smtp.next((m) => m.rcptTo.includes('ap@client.example'));

    const b = await setup({ contact: false, clientEmail: null });
    const refused = await b.api('POST', `/api/invoices/${b.id}/send`, {});
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invoice.no_recipient', errors: [{ path: 'to' }] });
    const after = await b.api('GET', `/api/invoices/${b.id}`);
    expect(after.body).toMatchObject({ status: 'draft', number: null, sentAt: null });
    expect(await storedDocument(db, b.owner.agencyId, b.id)).toBeUndefined();
    expect(await outboxEvents(db, b.owner.agencyId, 'billing.invoice.issued.v1')).toHaveLength(0);
  });

  it('CRLF in client, contact and agency names and in the message cannot add a header or a recipient', async () => {
    const owner = newPrincipal('owner');
    await seedAgencyDetails(db, owner.agencyId, { name: 'Evil\r\nBcc: agency-bcc@evil.example' });
    const clientId = await seedBillClient(db, owner.agencyId, { name: 'Client\r\nBcc: client-bcc@evil.example', email: null });
    await seedContact(db, owner.agencyId, clientId, { firstName: 'Eve\r\nBcc: contact-bcc@evil.example\r\nX-Injected: 1', lastName: null, email: 'eve@acme.example' });
    const api = as(owner);
    const draft = await api('POST', '/api/invoices', { clientId, lineItems: [line('1', '10.00')] });
    const sent = await api('POST', `/api/invoices/${draft.body.id}/send`, { message: 'Hi\r\nBcc: message-bcc@evil.example\r\n\r\n<script>alert(1)</script>' });
    expect(sent.status).toBe(200);
    const mail = await smtp.next((m) => m.rcptTo.includes('eve@acme.example'));
    expect(mail.rcptTo).toEqual(['eve@acme.example']);
    const headers = headerLines(mail.raw);
    expect(headers.filter((l) => /^(bcc|x-injected):/i.test(l))).toEqual([]);
    expect(mail.parsed.headers.has('bcc')).toBe(false);
    expect(mail.parsed.headers.has('x-injected')).toBe(false);
    expect(mail.parsed.subject).toBe('Invoice ' + sent.body.number + ' from Evil Bcc: agency-bcc@evil.example');
    expect(mail.parsed.html).not.toContain('<script>');
    expect(mail.parsed.html).toContain('&lt;script&gt;');
    for (const evil of ['agency-bcc', 'client-bcc', 'contact-bcc', 'message-bcc']) expect(smtp.received.some((m) => m.rcptTo.some((r) => r.startsWith(evil)))).toBe(false);
  });

  it('refuses a void invoice (409), and bad bodies are 400 naming the field', async () => {
    const { api, id } = await setup();
    expect((await api('POST', `/api/invoices/${id}/send`, { to: 'not-an-email' })).body).toMatchObject({ status: 400, errors: [{ path: 'to' }] });
    expect((await api('POST', `/api/invoices/${id}/send`, { cc: ['x@y.example', 'nope'] })).body).toMatchObject({ status: 400, errors: [{ path: 'cc.1' }] });
    expect((await api('POST', `/api/invoices/${id}/send`, { bcc: ['x@y.example'] })).status).toBe(400);
    await api('POST', `/api/invoices/${id}/send`, { to: 'void@acme.example' });
    expect((await api('POST', `/api/invoices/${id}/void`)).status).toBe(200);
    expect((await api('POST', `/api/invoices/${id}/send`, {})).body).toMatchObject({ status: 409, code: 'invoice.voided' });
  });
});

describe('the stored PDF and the kit blob collector', () => {
  it('keeps the stored PDF (a declared reference) while it collects an unreferenced blob', async () => {
    const { owner, api, id, contactEmail } = await setup();
    await api('POST', `/api/invoices/${id}/send`, {});
    await smtp.next((m) => m.rcptTo.includes(contactEmail));
    const doc = (await storedDocument(db, owner.agencyId, id))!;
    const blobs = h.service.ctx.blobs;
    const orphan = await blobs.put(owner.agencyId, Readable.from([Buffer.from('%PDF-1.7 nobody names me')]), { maxBytes: 1_000 });
    await tenantTx(db, owner.agencyId, (tx) => h.service.ctx.jobs.enqueue(tx, { name: BLOB_COLLECT_JOB, agencyId: owner.agencyId }));
    h.service.ctx.jobs.wake();
    await waitFor(async () => ((await blobs.head(owner.agencyId, orphan.id)) === null ? true : undefined), 10_000);
    expect(await blobs.head(owner.agencyId, doc.blobId)).toMatchObject({ sha256: doc.sha256, size: doc.size });
    const pdf = await getBytes(h.url, `/api/invoices/${id}/pdf`, await internalTokenFor(h.url, owner));
    expect(sha256(pdf.bytes)).toBe(doc.sha256);
  });
});

describe('GET /api/invoices/:id/pdf', () => {
  it('renders a draft marked DRAFT with the figures of the API, fresh on each change', async () => {
    const { owner, api, id } = await setup();
    const token = await internalTokenFor(h.url, owner);
    const pdf = await getBytes(h.url, `/api/invoices/${id}/pdf`, token);
    expect(pdf.status).toBe(200);
    const text = await pdfText(pdf.bytes);
    expect(text).toContain('DRAFT');
    expect(text).toContain(eur('1355.01'));
    await api('PATCH', `/api/invoices/${id}`, { lineItems: [line('2', '50.00')] });
    const changed = await pdfText((await getBytes(h.url, `/api/invoices/${id}/pdf`, token)).bytes);
    expect(changed).toContain(eur('119.00'));
    expect(changed).not.toContain(eur('1355.01'));
  });
});

describe('POST /api/invoices/:id/remind', () => {
  it('mails a reminder with the stored PDF for a sent invoice; 409 for a draft or a void invoice', async () => {
    const { owner, api, id, contactEmail } = await setup();
    expect((await api('POST', `/api/invoices/${id}/remind`, {})).body).toMatchObject({ status: 409, code: 'invoice.not_remindable' });
    const sent = await api('POST', `/api/invoices/${id}/send`, {});
    const m1 = await smtp.next((m) => m.rcptTo.includes(contactEmail) && m.parsed.subject?.startsWith('Invoice ') === true);
    const reminded = await api('POST', `/api/invoices/${id}/remind`, { message: 'Friendly nudge' });
    expect(reminded.status).toBe(200);
    const m2 = await smtp.next((m) => m.rcptTo.includes(contactEmail) && m.parsed.subject?.startsWith('Reminder') === true);
    expect(m2.parsed.subject).toBe(`Reminder: invoice ${sent.body.number} from Studio Nord GmbH, ${eur('1355.01')} due`);
    expect(m2.parsed.text).toContain('Friendly nudge');
    expect(sha256(pdfAttachment(m2).content)).toBe(sha256(pdfAttachment(m1).content));
    const events = await outboxEvents(db, owner.agencyId, 'billing.invoice.reminder_sent.v1');
    expect(events.map((e) => e.payload)).toMatchObject([{ invoiceId: id, reminderDay: null, to: contactEmail, cc: [] }]);
    expect(billingEvents['billing.invoice.reminder_sent.v1'].safeParse(events[0]!.payload).success).toBe(true);
    await api('POST', `/api/invoices/${id}/void`);
    expect((await api('POST', `/api/invoices/${id}/remind`, {})).body).toMatchObject({ status: 409, code: 'invoice.not_remindable' });
  });
});

describe('public invoice page API', () => {
  it('the first client view marks it viewed once; a staff preview does not; the PDF is the stored one', async () => {
    const { owner, api, id } = await setup();
    const sent = await api('POST', `/api/invoices/${id}/send`, {});
    const token = (sent.body.publicUrl as string).split('/i/')[1]!;

    // A member of the invoice's agency previewing the page: no view.
    const preview = await publicGet(h.url, `/api/public/invoices/${token}`, owner);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ number: sent.body.number, status: 'sent', total: '1355.01', amountDue: '1355.01', taxAmount: '216.35', agency: { name: 'Studio Nord GmbH', taxId: 'DE123456789' }, client: { name: 'Acme Corporation' } });
    expect(preview.body.pdfUrl).toBe(`/api/public/invoices/${token}/pdf`);
    expect(preview.body).not.toHaveProperty('id');
    expect(PublicInvoice.strict().safeParse(preview.body).error?.issues ?? []).toEqual([]);
    expect((await api('GET', `/api/invoices/${id}`)).body).toMatchObject({ status: 'sent', viewedAt: null });

    const view = await publicGet(h.url, `/api/public/invoices/${token}`);
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('viewed');
    const after = await api('GET', `/api/invoices/${id}`);
    expect(after.body.status).toBe('viewed');
    expect(after.body.viewedAt).not.toBeNull();
    // Someone signed in to another agency is a visitor like any other; and a second view is no new event.
    await publicGet(h.url, `/api/public/invoices/${token}`, newPrincipal('owner'));
    const pdf = await publicGet(h.url, `/api/public/invoices/${token}/pdf`);
    expect(pdf.status).toBe(200);
    expect(sha256(pdf.bytes)).toBe((await storedDocument(db, owner.agencyId, id))!.sha256);
    const viewed = await outboxEvents(db, owner.agencyId, 'billing.invoice.viewed.v1');
    expect(viewed).toHaveLength(1);
    expect(billingEvents['billing.invoice.viewed.v1'].safeParse(viewed[0]!.payload).success).toBe(true);
    expect(viewed[0]!.payload).toMatchObject({ invoiceId: id, status: 'viewed' });
    const history = await api('GET', `/api/invoices/${id}/history`);
    expect(history.body.data.map((s: { status: string }) => s.status)).toEqual(['draft', 'sent', 'viewed']);
  });

  it('unknown, malformed and voided tokens are 404', async () => {
    const { api, id } = await setup();
    const sent = await api('POST', `/api/invoices/${id}/send`, {});
    const token = (sent.body.publicUrl as string).split('/i/')[1]!;
    expect((await publicGet(h.url, `/api/public/invoices/${token.slice(0, -2)}xy`)).status).toBe(404);
    expect((await publicGet(h.url, `/api/public/invoices/short`)).status).toBe(404);
    expect((await publicGet(h.url, `/api/public/invoices/${'%27%20or%201%3D1--'.padEnd(43, 'a')}`)).status).toBe(404);
    for (const weird of ['%00', '..%2f..%2fetc', 'a'.repeat(600), '%E0%A4%A', encodeURIComponent('<script>'), `${token}%0d%0aX: y`]) {
      const res = await publicGet(h.url, `/api/public/invoices/${weird}`);
      expect(res.status, weird).toBeGreaterThanOrEqual(400);
      expect(res.status, weird).toBeLessThan(500);
    }
    await api('POST', `/api/invoices/${id}/void`);
    expect((await publicGet(h.url, `/api/public/invoices/${token}`)).status).toBe(404);
    expect((await publicGet(h.url, `/api/public/invoices/${token}/pdf`)).status).toBe(404);
  });
});

describe('access', () => {
  it('another agency gets 404 on every route; a member gets 403', async () => {
    const { id } = await setup();
    const stranger = newPrincipal('owner');
    const other = as(stranger);
    expect((await other('POST', `/api/invoices/${id}/send`, {})).status).toBe(404);
    expect((await other('POST', `/api/invoices/${id}/remind`, {})).status).toBe(404);
    expect((await getBytes(h.url, `/api/invoices/${id}/pdf`, await internalTokenFor(h.url, stranger))).status).toBe(404);
    const member = newPrincipal('member', (await setup()).owner.agencyId);
    expect((await as(member)('POST', `/api/invoices/${id}/send`, {})).status).toBe(403);
    expect((await as(member)('POST', `/api/invoices/${id}/remind`, {})).status).toBe(403);
    expect((await getBytes(h.url, `/api/invoices/${id}/pdf`, await internalTokenFor(h.url, member))).status).toBe(403);
    const manager = newPrincipal('manager');
    expect((await getBytes(h.url, `/api/invoices/${id}/pdf`, await internalTokenFor(h.url, manager))).status).toBe(404);
  });

  it('fuzzed bodies on send and remind are never a 5xx', async () => {
    const { owner, id } = await setup();
    const token = await internalTokenFor(h.url, owner);
    for (const path of [`/api/invoices/${id}/send`, `/api/invoices/${id}/remind`]) {
      for (const { body, contentType } of malformedBodies(40, ['to', 'cc', 'message'])) {
        const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, [INTERNAL_TOKEN_HEADER]: token }, body });
        expect(res.status, `${path} ${contentType} ${body.slice(0, 80)}`).toBeLessThan(500);
      }
    }
  });
});
