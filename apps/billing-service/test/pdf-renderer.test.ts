import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, invoiceTotals, Money } from '@atelier/money';
import { invoiceDocumentFrom, type InvoiceDocument } from '../src/pdf/invoice-document.js';
import { renderInvoiceHtml } from '../src/pdf/invoice-html.js';
import { createPdfRenderer, PdfRenderError, type PdfRenderer } from '../src/pdf/pdf-renderer.js';
import { PNG_LOGO, sampleDocument, sampleFigures } from './invoice-fixtures.js';
import { pdfText, pdfTitle, readPdf } from './pdf-text.js';

// A real Chromium (the one @sparticuz/chromium ships, or CHROME_PATH), no stand-ins.
let renderer: PdfRenderer;
let server: Server;
let origin: string;
const received: string[] = [];

beforeAll(async () => {
  renderer = createPdfRenderer({ poolSize: 2, renderTimeoutMs: 20_000, chromePath: process.env.CHROME_PATH });
  server = createServer((req, res) => {
    received.push(req.url ?? '');
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await renderer?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

describe('invoice PDF', () => {
  it('prints every figure exactly as libs/money formats it', async () => {
    const figures = sampleFigures({ lines: 4 });
    const pdf = await renderer.render(invoiceDocumentFrom(figures));
    expect(isPdf(pdf)).toBe(true);
    const text = await pdfText(pdf);
    const money = (m: Parameters<typeof formatMoney>[0]) => formatMoney(m, { locale: 'en-US' });
    const { invoice } = figures;
    for (const line of invoice.lines) {
      expect(text).toContain(line.description);
      expect(text).toContain(money(line.amount));
      expect(text).toContain(money(line.unitPrice));
    }
    expect(text).toContain(`Subtotal ${money(invoice.subtotal)}`);
    expect(text).toContain(`Discount (5 %) ${money(invoice.discount!.amount.negate())}`);
    expect(text).toContain(`GST 5 % on ${money(invoice.taxes[0]!.base)} ${money(invoice.taxes[0]!.amount)}`);
    expect(text).toContain(`QST 9.975 % on ${money(invoice.taxes[1]!.base)} ${money(invoice.taxes[1]!.amount)}`);
    expect(text).toContain(`Total ${money(invoice.total)}`);
    expect(text).toContain(`Amount paid ${money(invoice.amountPaid)}`);
    expect(text).toContain(`Amount due ${money(invoice.amountDue)}`);
    for (const expected of ['Studio Nord GmbH', 'Torstraße 12', 'DE123456789', 'Acme Corporation', 'INV-2026-0042', 'Dec 2, 2026', 'Jan 1, 2027', 'https://app.atelier.example/i/abc123', 'Thank you for your business.', 'Payment within 30 days.', 'Amtsgericht Berlin']) {
      expect(text).toContain(expected);
    }
  });

  it('prints the golden case and a zero-decimal currency to the unit', async () => {
    // 138.66 at 19 %: tax 26.35, total 165.01, and paying 165.01 leaves 0.00 due.
    const totals = invoiceTotals({ currency: 'EUR', lines: [{ quantity: '1', unitPrice: '138.66' }], taxes: [{ name: 'VAT', rate: '19' }], rounding: 'line' });
    const golden = sampleFigures({
      overrides: (f) => {
        f.invoice.lines = [{ description: 'Golden', quantity: '1', unitPrice: Money.of('138.66', 'EUR'), amount: totals.lines[0]!.amount, taxRate: null }];
        Object.assign(f.invoice, { subtotal: totals.subtotal, discount: null, taxes: totals.taxes, total: totals.total, amountPaid: totals.total, amountDue: totals.total.minus(totals.total) });
      },
    });
    const text = await pdfText(await renderer.render(invoiceDocumentFrom(golden)));
    expect(text).toContain('Golden 1 €138.66 €138.66');
    expect(text).toContain('VAT 19 % on €138.66 €26.35');
    expect(text).toContain('Total €165.01');
    expect(text).toContain('Amount paid €165.01 Amount due €0.00');

    const yen = sampleFigures({ currency: 'JPY', locale: 'ja-JP', overrides: (f) => (f.client.name = '株式会社アトリエ東京') });
    const yenText = await pdfText(await renderer.render(invoiceDocumentFrom(yen)));
    // ￥ and the kana print from the shipped Noto Sans JP: without it both come out blank.
    expect(yenText).toContain(formatMoney(yen.invoice.total, { locale: 'ja-JP' }));
    expect(yenText).toContain('株式会社アトリエ東京');
    expect(formatMoney(yen.invoice.total, { locale: 'ja-JP' })).toMatch(/^￥[\d,]+$/);
  });

  it('marks a draft DRAFT and a final invoice not at all', async () => {
    const draft = await pdfText(await renderer.render(sampleDocument({ status: 'draft' })));
    expect(draft).toContain('DRAFT');
    expect(draft).toContain('Not yet issued');
    const final = await pdfText(await renderer.render(sampleDocument({ status: 'sent' })));
    expect(final).not.toMatch(/draft/i);
    expect(final).toContain('INV-2026-0042');
  });

  it('prints on A4, or on Letter for an agency in a Letter country', async () => {
    const a4 = await readPdf(await renderer.render(sampleDocument({ country: 'DE' })));
    const letter = await readPdf(await renderer.render(sampleDocument({ country: 'US' })));
    // Chromium's A4 is 595.92 × 841.92 pt; Letter is 612 × 792.
    expect(Math.abs(a4[0]!.width - 595)).toBeLessThan(1.5);
    expect(Math.abs(a4[0]!.height - 842)).toBeLessThan(1.5);
    expect(Math.abs(letter[0]!.width - 612)).toBeLessThan(1.5);
    expect(Math.abs(letter[0]!.height - 792)).toBeLessThan(1.5);
  });

  it('spreads a 500-line invoice over pages, headings repeated, every line and the total printed', async () => {
    const figures = sampleFigures({ lines: 500 });
    const pages = await readPdf(await renderer.render(invoiceDocumentFrom(figures)));
    expect(pages.length).toBeGreaterThan(5);
    const text = pages.map((p) => p.text).join(' ');
    expect(text).toContain('Development, week 500 ');
    expect(text.match(/Development, week \d+ /g)).toHaveLength(499);
    expect(pages.at(-1)!.text).toContain(`Amount due ${formatMoney(figures.invoice.amountDue, { locale: 'en-US' })}`);
    for (const [i, page] of pages.entries()) {
      expect(page.text).toContain(`${i + 1} / ${pages.length}`);
      expect(page.text).toContain('INV-2026-0042');
    }
    expect(pages[1]!.text).toContain('DESCRIPTION QTY UNIT PRICE AMOUNT Development, week');
  });

  it('renders two invoices at once through a pool of two, each its own', async () => {
    const docs = ['INV-2026-0100', 'INV-2026-0101', 'INV-2026-0102', 'INV-2026-0103'].map((number) => {
      const doc = sampleDocument();
      doc.invoice.number = number;
      return doc;
    });
    const before = renderer.stats().renders;
    const texts = await Promise.all(docs.map(async (doc) => pdfText(await renderer.render(doc))));
    texts.forEach((text, i) => {
      expect(text).toContain(docs[i]!.invoice.number!);
      for (const other of docs.filter((_, j) => j !== i)) expect(text).not.toContain(other.invoice.number!);
    });
    expect(renderer.stats().renders - before).toBe(4);
  });
});

describe('a hostile invoice', () => {
  const hostile = () => {
    const doc = sampleDocument();
    doc.agency.name = `"><img src="${origin}/agency-name.png">`;
    doc.client.name = `<style>@import url(${origin}/import.css);</style>Evil Client`;
    doc.client.addressLines = ['file:///etc/passwd', `<iframe src="file:///etc/passwd"></iframe>`];
    doc.invoice.lines[0]!.description = `<img src=${origin}/x>`;
    doc.invoice.lines[1]!.description = `<link rel=stylesheet href=${origin}/link.css>`;
    doc.invoice.notes = `<script>document.write('SCRIPT RAN');fetch('${origin}/script')</script>`;
    doc.invoice.terms = `<div style="background:url(${origin}/background.png)">terms</div>`;
    doc.invoice.paymentUrl = 'javascript:alert(1)';
    // Printed in the page's margin too, from CSS: it must not end the string, the rule or the style.
    doc.invoice.number = `INV"}</style><img src=${origin}/number>`;
    return doc;
  };

  it('makes no request and prints every string as text', async () => {
    const blockedBefore = renderer.stats().blockedRequests;
    const doc = hostile();
    const html = renderInvoiceHtml(doc);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=http');
    expect(html).not.toContain('<iframe');
    const text = (await pdfText(await renderer.render(doc))).replace(/\s/g, '');
    for (const literal of [
      `<img src=${origin}/x>`,
      `<style>@import url(${origin}/import.css);</style>Evil Client`,
      `<iframe src="file:///etc/passwd"></iframe>`,
      `"><img src="${origin}/agency-name.png">`,
      `<script>document.write('SCRIPT RAN');fetch('${origin}/script')</script>`,
      `<link rel=stylesheet href=${origin}/link.css>`,
      'javascript:alert(1)',
      `INV"}</style><img src=${origin}/number>`,
    ]) {
      // Long strings wrap: compared without whitespace.
      expect(text).toContain(literal.replace(/\s/g, ''));
    }
    expect(text).not.toContain('root:x:0:0');
    expect(received).toEqual([]);
    // Inert: the markup never became elements, so nothing even tried to leave the page.
    expect(renderer.stats().blockedRequests).toBe(blockedBefore);
  });

  it('prints a logo only when it is an inline raster image', async () => {
    for (const logo of [`${origin}/logo.png`, 'file:///etc/passwd', 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=', `data:image/png;base64,AAAA" onerror="x`, `${PNG_LOGO}#${origin}/logo`]) {
      const doc = sampleDocument();
      doc.agency.logo = logo;
      const html = renderInvoiceHtml(doc);
      expect(html).not.toContain('<img');
      const pdf = await renderer.render(doc);
      expect(isPdf(pdf)).toBe(true);
    }
    const withLogo = sampleDocument();
    expect(renderInvoiceHtml(withLogo)).toContain(`<img class="logo" src="${PNG_LOGO.replace('=', '&#x3D;')}"`);
    expect(received).toEqual([]);
  });

  it('blocks every request of live markup before it leaves the browser', async () => {
    // Past the template's escaping and its CSP: raw markup straight into a page. A page of its
    // own, as a page that printed an invoice keeps that document's CSP (document.open does not
    // drop it), which would stop these requests before the interception sees them.
    const own = createPdfRenderer({ poolSize: 1, renderTimeoutMs: 20_000, chromePath: process.env.CHROME_PATH });
    const html = `<!doctype html><html><head>
      <style>@import url(${origin}/import.css); @font-face { font-family: X; src: url(${origin}/font.woff2); } body { font-family: X; background: url(${origin}/bg.png); }</style>
      <link rel="stylesheet" href="${origin}/link.css">
      </head><body><p>live markup</p>
      <img src="${origin}/img.png"><img src="file:///etc/passwd">
      <iframe src="file:///etc/passwd"></iframe><iframe src="${origin}/frame.html"></iframe>
      <script>document.write('SCRIPT RAN'); fetch('${origin}/script');</script>
      <script src="${origin}/script.js"></script>
      <img src="data:image/png;base64,${PNG_LOGO.split(',')[1]}">
      </body></html>`;
    try {
      const text = await pdfText(await own.renderHtml(html, { paper: 'A4' }));
      expect(text).toContain('live markup');
      expect(text).not.toContain('SCRIPT RAN');
      expect(text).not.toContain('root:x:0:0');
      expect(received).toEqual([]);
      // The import, the font, the background, the stylesheet, the image and the frame over http;
      // file: URLs Chromium refuses itself, and with JavaScript off no script is fetched.
      expect(own.stats().blockedRequests).toBeGreaterThanOrEqual(6);
    } finally {
      await own.close();
    }
  });
});

describe('the renderer', () => {
  it('survives its browser being killed: the next render starts another', async () => {
    const doc = sampleDocument();
    await renderer.render(doc);
    const pid = renderer.browserPid();
    const launches = renderer.stats().launches;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    const text = await pdfText(await renderer.render(doc));
    expect(text).toContain('INV-2026-0042');
    expect(renderer.stats().launches).toBe(launches + 1);
    expect(renderer.browserPid()).not.toBe(pid);
    expect(() => process.kill(pid!, 0)).toThrow();
  });

  it('finishes a render whose browser dies under it on a new browser', async () => {
    const doc = sampleDocument({ lines: 200 });
    await renderer.render(sampleDocument());
    const pid = renderer.browserPid()!;
    const rendering = renderer.render(doc);
    setTimeout(() => process.kill(pid, 'SIGKILL'), 30);
    const pages = await readPdf(await rendering);
    expect(pages.length).toBeGreaterThan(2);
    expect(renderer.browserPid()).not.toBe(pid);
  });

  it('gives up on a render that outlives its timeout, and the pool still works after it', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `<tr><td>row ${i}</td><td>${'cell '.repeat(20)}</td></tr>`).join('');
    const timeoutsBefore = renderer.stats().timeouts;
    const started = performance.now();
    const failure = await renderer.renderHtml(`<table>${rows}</table>`, { paper: 'A4', timeoutMs: 150 }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(PdfRenderError);
    expect((failure as PdfRenderError).code).toBe('pdf.timeout');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(renderer.stats().timeouts).toBe(timeoutsBefore + 1);
    const again = await Promise.all([renderer.render(sampleDocument()), renderer.render(sampleDocument())]);
    for (const pdf of again) expect(await pdfText(pdf)).toContain('INV-2026-0042');
  });

  it('prints on a page that held another invoice exactly what a fresh page prints', async () => {
    const first = sampleDocument({ lines: 40, status: 'draft' });
    const second = sampleDocument({ lines: 2, country: 'US' });
    second.invoice.number = 'INV-2026-0777';
    second.client.name = 'Second & Sons <Ltd>';
    second.agency.logo = PNG_LOGO;
    const reused = createPdfRenderer({ poolSize: 1, renderTimeoutMs: 20_000, chromePath: process.env.CHROME_PATH });
    const fresh = createPdfRenderer({ poolSize: 1, renderTimeoutMs: 20_000, chromePath: process.env.CHROME_PATH });
    try {
      await reused.render(first);
      await reused.render(sampleDocument({ status: 'draft' }));
      const [again, clean] = await Promise.all([reused.render(second), fresh.render(second)]);
      expect(reused.stats().bodySwaps).toBe(2);
      expect(fresh.stats().bodySwaps).toBe(0);
      const [a, b] = [await readPdf(again), await readPdf(clean)];
      expect(a).toEqual(b);
      expect(await pdfTitle(again)).toBe('Invoice INV-2026-0777');
      expect(await pdfTitle(clean)).toBe('Invoice INV-2026-0777');
      expect(a[0]!.text).toContain('Second & Sons <Ltd>');
      expect([a[0]!.width, a[0]!.height]).toEqual([612, 792]);
      expect(a[0]!.text).not.toMatch(/draft|week 40/i);
    } finally {
      await Promise.all([reused.close(), fresh.close()]);
    }
  });

  it('refuses to render once closed', async () => {
    const own = createPdfRenderer({ poolSize: 1, renderTimeoutMs: 20_000, chromePath: process.env.CHROME_PATH });
    const doc: InvoiceDocument = sampleDocument();
    expect(isPdf(await own.render(doc))).toBe(true);
    const pid = own.browserPid()!;
    await own.close();
    await expect(own.render(doc)).rejects.toMatchObject({ code: 'pdf.closed' });
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
