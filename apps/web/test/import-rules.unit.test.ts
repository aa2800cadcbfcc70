import { describe, expect, it } from 'vitest';
import type { ImportCreated } from '@atelier/contracts';
import {
  committedMapping,
  duplicateFields,
  matchProblems,
  matchesChanged,
  previewLines,
  resultSummary,
  sampleCsv,
  suggestedMatches,
} from '../src/lib/components/imports/import-rules.js';

const label = (f: string) => ({ name: 'Name', email: 'Email', firstName: 'First name', isActive: 'Active' })[f] ?? f;
const fields = [
  { field: 'name', label: 'Name' },
  { field: 'email', label: 'Email' },
  { field: 'isActive', label: 'Active' },
];

const upload: ImportCreated = {
  id: '00000000-0000-4000-8000-000000000001',
  entity: 'clients',
  status: 'uploaded',
  delimiter: ',',
  columns: ['Company', 'E-mail', 'Notes'],
  suggestedMapping: { Company: 'name', 'E-mail': 'email' },
  preview: [
    { row: 1, values: { Company: 'Acme', 'E-mail': 'ap@acme.example', Notes: 'x' }, action: 'create', errors: [] },
    { row: 2, values: { Company: '', 'E-mail': 'bad', Notes: 'Globex' }, action: 'error', errors: ['Name is required'] },
    { row: 3, values: { Company: 'Initech', 'E-mail': '', Notes: '' }, action: 'unchanged', errors: [] },
  ],
};

describe('import wizard rules', () => {
  it('starts from the suggestion, with every column present, and sends only the imported columns', () => {
    const matches = suggestedMatches(upload);
    expect(matches).toEqual({ Company: 'name', 'E-mail': 'email', Notes: '' });
    expect(matchesChanged(upload, matches)).toBe(false);
    expect(committedMapping(matches)).toEqual({ Company: 'name', 'E-mail': 'email' });
  });

  it('says what the matches lack, and which field is chosen twice', () => {
    expect(matchProblems('clients', { Company: '', Notes: 'email' }, label)).toEqual(['Match a column to Name: every client needs a name.']);
    expect(duplicateFields({ Company: 'name', Notes: 'name', 'E-mail': 'email' })).toEqual(['name']);
    expect(matchProblems('clients', { Company: 'name', Notes: 'name' }, label)).toEqual(['Name is chosen for more than one column. Choose it once.']);
    expect(matchProblems('contacts', { A: 'lastName' }, label)).toEqual([
      'Match a column to First name: every contact needs one.',
      'Match a column to Client name or Client email, so each contact can be linked to its client.',
    ]);
  });

  it("keeps the server's verdict for the suggested matches, problem rows first", () => {
    const lines = previewLines('clients', upload, suggestedMatches(upload), fields, label);
    expect(lines.map((l) => [l.row.row, l.action])).toEqual([
      [2, 'error'],
      [1, 'create'],
      [3, 'unchanged'],
    ]);
  });

  it('checks rows itself once the matches changed, and leaves their fate to the import', () => {
    const lines = previewLines('clients', upload, { Company: '', 'E-mail': 'email', Notes: 'name' }, fields, label);
    expect(lines.map((l) => [l.row.row, l.action, l.errors])).toEqual([
      [2, 'error', ['Email is not a valid email address']],
      [3, 'error', ['Name is required']],
      [1, 'unknown', []],
    ]);
  });

  it('accounts for every row in the result', () => {
    const job = { total: 3, created: 0, updated: 0, unchanged: 2, failed: 1 };
    expect(resultSummary(job)).toBe('3 rows processed: 2 unchanged (already up to date), 1 could not be imported.');
    expect(resultSummary({ ...job, unchanged: 0, failed: 0, created: 3 })).toBe('3 rows processed: every row was imported.');
  });

  it('writes a sample file headed by the labels, quoting what needs it', () => {
    const text = sampleCsv('clients', fields);
    expect(text.split('\r\n')[0]).toBe('Name,Email,Active');
    expect(text.endsWith('\r\n')).toBe(true);
  });
});
