import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatMoney, invoiceTotals, Money } from '@atelier/money';
import { invoiceDocumentFrom, paperFor } from '../src/pdf/invoice-document.js';
import { renderInvoiceHtml, safeLogo } from '../src/pdf/invoice-html.js';
import { PNG_LOGO, sampleDocument, sampleFigures } from './invoice-fixtures.js';

describe('paperFor', () => {
  it('gives Letter in the Letter countries and A4 elsewhere', () => {
    for (const country of ['US', 'CA', 'MX', 'PH', 'us', ' ca ']) expect(paperFor(country)).toBe('Letter');
    for (const country of ['DE', 'GB', 'FR', 'JP', 'AU', 'IN', '', null, undefined, 'XX']) expect(paperFor(country)).toBe('A4');
  });
});

describe('invoiceDocumentFrom', () => {
  it('formats every figure with libs/money in the invoice locale', () => {
    const totals = invoiceTotals({ currency: 'EUR', lines: [{ quantity: '1000', unitPrice: '1.00' }], taxes: [{ name: 'VAT', rate: '19' }], rounding: 'line' });
    const figures = sampleFigures({
      locale: 'de-DE',
      overrides: (f) => {
        f.invoice.lines = [{ description: 'A', quantity: '1000', unitPrice: Money.of('1.00', 'EUR'), amount: totals.lines[0]!.amount, taxRate: '7.5' }];
        Object.assign(f.invoice, { subtotal: totals.subtotal, discount: { type: 'amount', value: '10.00', amount: Money.of('10.00', 'EUR') }, taxes: totals.taxes, total: totals.total });
      },
    });
    const doc = invoiceDocumentFrom(figures);
    expect(doc.invoice.total).toBe(formatMoney(Money.of('1190.00', 'EUR'), { locale: 'de-DE' }));
    expect(doc.invoice.total).toBe('1.190,00\u00a0€');
    expect(doc.invoice.lines[0]).toEqual({ description: 'A', quantity: '1.000', unitPrice: '1,00\u00a0€', amount: '1.000,00\u00a0€', taxRate: '7,5 %' });
    expect(doc.invoice.taxes).toEqual([{ name: 'VAT 19 %', rate: '19 %', base: '1.000,00\u00a0€', amount: '190,00\u00a0€' }]);
    expect(doc.invoice.discount).toEqual({ label: 'Discount', amount: '-10,00\u00a0€' });
    expect(doc.invoice.issueDate).toBe('02.12.2026');
    expect(doc.paper).toBe('A4');
    expect(doc.invoice.isDraft).toBe(false);
  });
});

describe('renderInvoiceHtml', () => {
  it('never uses the triple-stash: every value is escaped', () => {
    const template = readFileSync(new URL('../src/pdf/templates/invoice.hbs', import.meta.url), 'utf8');
    expect(template).not.toMatch(/\{\{\{|\{\{&/);
    const doc = sampleDocument();
    doc.client.name = '<b onmouseover="x">Bold & "quoted"</b>';
    const html = renderInvoiceHtml(doc);
    expect(html).toContain('&lt;b onmouseover&#x3D;&quot;x&quot;&gt;Bold &amp; &quot;quoted&quot;&lt;/b&gt;');
    expect(html).not.toContain('<b onmouseover');
  });

  it('keeps a logo only when it is an inline png, jpeg, gif or webp', () => {
    expect(safeLogo(PNG_LOGO)).toBe(PNG_LOGO);
    for (const type of ['jpeg', 'gif', 'webp']) expect(safeLogo(`data:image/${type};base64,AAAA`)).not.toBeNull();
    for (const logo of ['http://evil.example/logo.png', 'file:///etc/passwd', 'data:image/svg+xml;base64,AAAA', 'data:image/png,AAAA', 'data:image/png;base64,AA AA', 'data:text/html;base64,AAAA', null, '']) {
      expect(safeLogo(logo)).toBeNull();
    }
  });

  it('inlines only the font subsets the text needs, and nothing from anywhere else', () => {
    const latin = renderInvoiceHtml(sampleDocument());
    expect(latin.match(/@font-face/g)).toHaveLength(2);
    const mixed = sampleDocument();
    mixed.client.name = 'Ωmega ООО 株式会社';
    const html = renderInvoiceHtml(mixed);
    expect(html.match(/font-family:'Inter'/g)!.length).toBe(6);
    expect(html).toContain("font-family:'Noto Sans JP'");
    expect(html.match(/url\((?!data:)/g)).toBeNull();
  });

  it('marks a draft and leaves the word out of a final invoice', () => {
    const visible = (html: string) => html.replace(/<style>[\s\S]*<\/style>/, '');
    expect(visible(renderInvoiceHtml(sampleDocument({ status: 'draft' })))).toContain('DRAFT');
    expect(visible(renderInvoiceHtml(sampleDocument()))).not.toMatch(/draft/i);
  });
});
