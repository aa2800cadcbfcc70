import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, escapeCell, inspectHead, isBlankRecord, unescapeCell } from '../src/imports/csv-format.js';

describe('delimiter detection', () => {
  it('picks the delimiter that splits the header and the rows alike', () => {
    expect(detectDelimiter('name,email\nACME,a@acme.test\n')).toBe(',');
    expect(detectDelimiter('name;email;city\nACME;a@acme.test;Köln\nB;b@b.test;Bonn\n')).toBe(';');
    expect(detectDelimiter('name\temail\nACME\ta@acme.test\n')).toBe('\t');
  });

  it('ignores delimiters inside quotes, and a line the head cut off', () => {
    expect(detectDelimiter('name;note\r\n"Smith, Jones & Co";"a, b, c"\r\nX;"y, z"\r\nPartial, cut, off, here')).toBe(';');
    expect(detectDelimiter('"a ""quoted"", name";b\n"x, y";z\n')).toBe(';');
  });

  it('prefers consistency over sheer count, then the header count on a tie', () => {
    // Commas appear in free text on some lines only; semicolons are on every line the same number of times.
    expect(detectDelimiter('name;description\nACME;big, bold, loud\nB;quiet\nC;small\n')).toBe(';');
    expect(detectDelimiter('a,b,c;d\n')).toBe(',');
  });

  it('reads a one-column file (or an empty one) as comma-separated', () => {
    expect(detectDelimiter('name\nACME\nB\n')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
    expect(detectDelimiter('a;b')).toBe(';');
  });
});

describe('upload head', () => {
  it('refuses UTF-16 and binary files and measures a UTF-8 BOM', () => {
    expect(inspectHead(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toEqual({ problem: 'utf16', bomLength: 0 });
    expect(inspectHead(Buffer.from([0xfe, 0xff, 0x00, 0x41]))).toEqual({ problem: 'utf16', bomLength: 0 });
    expect(inspectHead(Buffer.from('PK\u0003\u0004\u0000\u0000'))).toEqual({ problem: 'binary', bomLength: 0 });
    expect(inspectHead(Buffer.from('\ufeffname,email\n'))).toEqual({ problem: null, bomLength: 3 });
    expect(inspectHead(Buffer.from('name,email\n'))).toEqual({ problem: null, bomLength: 0 });
  });
});

describe('cells', () => {
  it('neutralises formulas on the way out and restores them exactly on the way in', () => {
    expect(escapeCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(escapeCell('-5')).toBe("'-5");
    expect(escapeCell("'=x")).toBe("''=x");
    expect(escapeCell('ACME')).toBe('ACME');
    expect(unescapeCell("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(unescapeCell("'plain")).toBe("'plain");
    fc.assert(fc.property(fc.string(), (value) => unescapeCell(escapeCell(value)) === value));
  });

  it('knows a blank record', () => {
    expect(isBlankRecord(['', ' ', '\t'])).toBe(true);
    expect(isBlankRecord(['', 'x'])).toBe(false);
  });
});
