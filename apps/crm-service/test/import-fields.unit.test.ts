import { describe, expect, it } from 'vitest';
import { normalizeHeader, resolveMapping, suggestMapping, validateClientRow, validateContactRow } from '../src/imports/import-fields.js';

describe('mapping suggestions', () => {
  it('normalises header names', () => {
    expect(['E-mail', 'e_mail', 'Email', ' E.Mail '].map(normalizeHeader)).toEqual(['email', 'email', 'email', 'email']);
  });

  it('maps columns to client fields by name and synonym, in the file order', () => {
    const columns = ['Company Name', 'E-Mail', 'Tel', 'ZIP', 'VAT number', 'Notes'];
    expect(suggestMapping('clients', columns)).toEqual({
      'Company Name': 'name',
      'E-Mail': 'email',
      Tel: 'phone',
      ZIP: 'postalCode',
      'VAT number': 'taxId',
    });
  });

  it('lets an exact field name win over a synonym elsewhere, and maps each field and column once', () => {
    expect(suggestMapping('clients', ['Mail', 'Email'])).toEqual({ Email: 'email' });
    expect(suggestMapping('contacts', ['Company', 'First', 'Last', 'Email', 'Mobile', 'Primary'])).toEqual({
      Company: 'clientName',
      First: 'firstName',
      Last: 'lastName',
      Email: 'email',
      Mobile: 'phone',
      Primary: 'isPrimary',
    });
    expect(suggestMapping('clients', ['name', 'name'])).toEqual({ name: 'name' });
  });
});

describe('committed mapping', () => {
  const fieldErrors = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      // A 400 with field paths, whichever error type carries it.
      if (error instanceof Error && 'errors' in error) return error.errors;
      throw error;
    }
    throw new Error('expected a 400');
  };

  it('resolves fields to column indexes in column order', () => {
    const resolved = resolveMapping('clients', ['Email', 'Name', 'Skip'], { Name: 'name', Email: 'email', Skip: '' });
    expect([...resolved]).toEqual([['email', 0], ['name', 1]]);
  });

  it('names the mapping entries that do not fit the file', () => {
    expect(fieldErrors(() => resolveMapping('clients', ['A', 'B'], { A: 'name', B: 'name', C: 'email' }))).toEqual([
      { path: 'mapping.B', message: '"name" is already mapped from column "A"' },
      { path: 'mapping.C', message: 'is not a column of the uploaded file' },
    ]);
    expect(fieldErrors(() => resolveMapping('clients', ['A'], { A: 'colour' }))).toEqual([
      { path: 'mapping.A', message: expect.stringContaining('"colour" is not a clients field') },
    ]);
    expect(fieldErrors(() => resolveMapping('contacts', ['A'], { A: 'email' }))).toEqual([
      { path: 'mapping', message: 'map a column to firstName' },
      { path: 'mapping', message: 'map a column to clientName or clientEmail' },
    ]);
  });
});

describe('row validation', () => {
  const clients = resolveMapping('clients', ['name', 'email', 'website', 'country', 'currency', 'active'], {
    name: 'name',
    email: 'email',
    website: 'website',
    country: 'country',
    currency: 'currency',
    active: 'isActive',
  });

  it('cleans values: lower-cased email, https added, codes upper-cased, yes/no read', () => {
    expect(validateClientRow(["'=ACME ", 'Info@ACME.test', 'acme.test', 'de', 'eur', 'ja'], 6, clients)).toEqual({
      ok: true,
      values: { name: '=ACME', email: 'info@acme.test', website: 'https://acme.test', country: 'DE', currency: 'EUR', isActive: true },
    });
  });

  it('lists every problem of a row, field by field', () => {
    expect(validateClientRow(['', 'nope', 'ftp://x', 'Germany', 'XYZ', 'maybe', 'extra'], 6, clients)).toEqual({
      ok: false,
      errors: [
        'has 7 cells but the header has 6 columns',
        'email: "nope" is not a valid email address',
        'website: "ftp://x" is not a valid http(s) URL',
        'country: "Germany" is not a 2-letter ISO 3166-1 country code',
        'currency: "XYZ" is not a 3-letter ISO 4217 currency code',
        'isActive: "maybe" is not true or false',
        'name: is required',
      ],
    });
  });

  it('requires a contact to name its client', () => {
    const contacts = resolveMapping('contacts', ['first', 'company'], { first: 'firstName', company: 'clientName' });
    expect(validateContactRow(['Ada', ''], 2, contacts)).toEqual({ ok: false, errors: ['clientName or clientEmail: is required to link the contact to its client'] });
    expect(validateContactRow(['Ada', 'ACME'], 2, contacts)).toEqual({ ok: true, values: { firstName: 'Ada', clientName: 'ACME' } });
  });
});
