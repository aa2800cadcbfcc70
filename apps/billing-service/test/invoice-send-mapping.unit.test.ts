import { describe, expect, it } from 'vitest';
import type { InvoiceRow } from '../src/invoices/invoice-repository.js';
import { invoiceMail } from '../src/invoice-send/invoice-mail.js';
import { agencyDetailsOf, billToOf, pdfFilenameOf, toInvoiceDocument } from '../src/invoice-pdf/invoice-pdf-mapper.js';
import type { AgencyRow, ClientRow } from '../src/invoice-pdf/invoice-pdf-repository.js';

const row = (fields: Partial<InvoiceRow> = {}): InvoiceRow =>
  ({
    id: '0b6f1f7e-8a57-4a44-9d4b-2d1f6f1b8f00',
    agencyId: 'a0000000-0000-4000-8000-000000000001',
    clientId: 'c0000000-0000-4000-8000-000000000001',
    projectId: null,
    number: 'INV-2026-0007',
    numberYear: 2026,
    numberSeq: 7,
    status: 'sent',
    issueDate: '2026-12-02',
    dueDate: '2027-01-01',
    currency: 'EUR',
    discountType: 'percent',
    discountValue: '10.0000',
    taxRate: '19.0000',
    taxes: [],
    rounding: 'document',
    subtotal: '1000.0000',
    discountAmount: '100.0000',
    taxAmount: '171.0000',
    taxLines: [{ name: null, rate: '19.0000', base: '900.0000', amount: '171.0000' }],
    total: '1071.0000',
    amountPaid: '0.0000',
    amountDue: '1071.0000',
    notes: null,
    terms: null,
    billTo: { name: 'Frozen Client Ltd', addressLine1: '1 Old Road', postalCode: 'N1 1AA', city: 'London', country: 'GB', taxId: 'GB123' },
    publicTokenHash: null,
    sentAt: null,
    viewedAt: null,
    overdueAt: null,
    paidAt: null,
    voidedAt: null,
    version: 3,
    createdBy: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...fields,
  }) as InvoiceRow;

const client = { name: 'Live Client', email: 'live@client.example', addressLine1: 'New Street 5', addressLine2: null, city: 'Paris', region: null, postalCode: '75001', country: 'FR', taxId: null } as unknown as ClientRow;
const agency = { name: 'Studio', address: 'Line 1\r\nLine 2\n\n', country: 'US', taxId: 'T-1', logo: null, email: 'a@studio.example' } as unknown as AgencyRow;

describe('invoice → PDF document mapping', () => {
  it('an issued invoice prints the bill-to frozen at issue; a draft the client as it is now', () => {
    expect(billToOf(row(), client)).toEqual({ name: 'Frozen Client Ltd', email: null, addressLines: ['1 Old Road', 'N1 1AA London', 'GB'], taxId: 'GB123' });
    expect(billToOf(row({ status: 'draft', number: null }), client)).toEqual({ name: 'Live Client', email: 'live@client.example', addressLines: ['New Street 5', '75001 Paris', 'FR'], taxId: null });
  });

  it('the stored figures, formatted by libs/money; the agency address by lines; Letter for a US agency', () => {
    const doc = toInvoiceDocument({ row: row(), lines: [], agency, billTo: billToOf(row(), client), settings: { footer: 'Footer' }, publicUrl: 'https://app.example/i/t' });
    expect(doc.paper).toBe('Letter');
    expect(doc.agency.addressLines).toEqual(['Line 1', 'Line 2']);
    expect(doc.invoice).toMatchObject({ number: 'INV-2026-0007', isDraft: false, subtotal: '€1,000.00', total: '€1,071.00', amountDue: '€1,071.00', footer: 'Footer', publicUrl: 'https://app.example/i/t' });
    expect(doc.invoice.discount).toEqual({ label: 'Discount (10 %)', amount: '-€100.00' });
    expect(doc.invoice.taxes).toEqual([{ name: 'Tax 19 %', rate: '19 %', base: '€900.00', amount: '€171.00' }]);
    expect(agencyDetailsOf(undefined).name).toBe('Agency');
  });

  it('file names keep only safe characters', () => {
    expect(pdfFilenameOf({ id: 'x', number: 'INV/2026 "7"' })).toBe('INV_2026_7_.pdf');
    expect(pdfFilenameOf({ id: 'abc', number: null })).toBe('draft-abc.pdf');
  });
});

describe('invoice email', () => {
  it('escapes what people typed in the HTML, keeps it verbatim in the text, attaches the stored PDF', () => {
    const mail = invoiceMail({
      kind: 'invoice',
      row: row(),
      agencyName: 'Studio <b>',
      recipients: { to: { name: 'Ada', address: 'ada@client.example' }, cc: ['cc@client.example'] },
      message: 'Hello <script>x</script>\n\nSecond paragraph',
      publicUrl: 'https://app.example/i/t"onmouseover="x',
      fromName: null,
      replyTo: 'billing@studio.example',
      footer: null,
      pdf: { blobId: '5a1b0c1d-0000-4000-8000-000000000001', filename: 'INV-2026-0007.pdf' },
    });
    expect(mail.subject).toBe('Invoice INV-2026-0007 from Studio <b>');
    expect(mail.fromName).toBe('Studio <b>');
    expect(mail.replyTo).toBe('billing@studio.example');
    expect(mail.cc).toEqual(['cc@client.example']);
    expect(mail.text).toContain('Hello <script>x</script>');
    expect(mail.text).toContain('Total: €1,071.00');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Hello &lt;script&gt;x&lt;/script&gt;</p><p>Second paragraph</p>');
    expect(mail.html).toContain('href="https://app.example/i/t&quot;onmouseover=&quot;x"');
    expect(mail.attachments).toEqual([{ filename: 'INV-2026-0007.pdf', contentType: 'application/pdf', blobId: '5a1b0c1d-0000-4000-8000-000000000001' }]);
  });
});
