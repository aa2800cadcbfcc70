import { describe, expect, it } from 'vitest';
import { cleanFileName, contentDisposition, sniffContentType } from '../src/index.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb', 'hex');

describe('sniffContentType', () => {
  it('judges binary formats by their signature and markup a browser would run by its text', async () => {
    expect(await sniffContentType(PNG)).toBe('image/png');
    expect(await sniffContentType(JPEG)).toBe('image/jpeg');
    expect(await sniffContentType(Buffer.from('%PDF-1.7\n%âãÏÓ\n'))).toBe('application/pdf');
    expect(await sniffContentType(Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000'))).not.toBe('text/plain');
    expect(await sniffContentType(Buffer.from('\ufeff  <!DOCTYPE html><p>hi'))).toBe('text/html');
    expect(await sniffContentType(Buffer.from('<!-- x --><script>alert(1)</script>'))).toBe('text/html');
    expect(await sniffContentType(Buffer.from('<?xml version="1.0"?><!DOCTYPE svg><svg onload="x()"/>'))).toBe('image/svg+xml');
    expect(await sniffContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBe('image/svg+xml');
    expect(await sniffContentType(Buffer.from('<?xml version="1.0"?><note/>'))).toBe('application/xml');
    expect(await sniffContentType(Buffer.from('Plain words, été\n'))).toBe('text/plain');
    // A multi-byte character cut at the end of the sniffed head is still text.
    expect(await sniffContentType(Buffer.from('abc é').subarray(0, 5))).toBe('text/plain');
    expect(await sniffContentType(Buffer.from([0x00, 0x01, 0x02, 0xff]))).toBe('application/octet-stream');
    expect(await sniffContentType(Buffer.alloc(0))).toBe('application/octet-stream');
  });
});

describe('file names', () => {
  it('keeps the last path segment without control or direction characters, and a sane length', () => {
    expect(cleanFileName('C:\\Users\\ann\\Brief.docx')).toBe('Brief.docx');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('inv\u202eoice\u0007.pdf')).toBe('invoice.pdf');
    expect(cleanFileName('  ..  ')).toBe('file');
    expect(cleanFileName(null)).toBe('file');
    const long = cleanFileName(`${'a'.repeat(400)}.pdf`);
    expect(long).toHaveLength(255);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('writes a Content-Disposition nothing can break out of', () => {
    expect(contentDisposition('attachment', 'Mock-ups.pdf')).toBe(`attachment; filename="Mock-ups.pdf"; filename*=UTF-8''Mock-ups.pdf`);
    expect(contentDisposition('inline', 'a"b\r\nSet-Cookie: x.png')).toBe(`inline; filename="a_b__Set-Cookie_ x.png"; filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x.png`);
    expect(contentDisposition('attachment', 'Überblick (final).pdf')).toBe(`attachment; filename="Uberblick _final_.pdf"; filename*=UTF-8''%C3%9Cberblick%20%28final%29.pdf`);
    expect(contentDisposition('attachment', '.htaccess')).toBe(`attachment; filename="_htaccess"; filename*=UTF-8''.htaccess`);
  });
});
