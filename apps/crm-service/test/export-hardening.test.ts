import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';
import { getCsv } from './import-test-helpers.js';

/** Export requests an attacker would send, and cells a semicolon-locale spreadsheet would split. */
let h: CrmHarness;
const who = newPrincipal('manager');

beforeAll(async () => {
  h = await startCrm();
  const res = await serviceClient(h.url, who)('POST', '/api/clients', { name: 'Semi; =1+1 Co', taxId: 'A;B' });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('GET /api/exports/*.csv?fields=', () => {
  it.each(['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'])('answers 400 naming the field for the inherited name %s, never 500', async (field) => {
    for (const entity of ['clients', 'contacts']) {
      const res = await serviceClient(h.url, who)('GET', `/api/exports/${entity}.csv?fields=${encodeURIComponent(field)}`);
      expect(res.status, `${entity}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'query.fields', message: expect.stringMatching(new RegExp(`^unknown field ${field}; use `)) }]);
    }
  });
});

describe('CSV cells with a semicolon', () => {
  it('are quoted, so a semicolon-locale spreadsheet keeps them in one cell', async () => {
    const res = await getCsv(h.url, who, '/api/exports/clients.csv?fields=name,taxId');
    expect(res.status).toBe(200);
    expect(res.text).toContain('"Semi; =1+1 Co","A;B"');
    expect(parse(res.text, { bom: true })).toEqual([
      ['Name', 'Tax ID'],
      ['Semi; =1+1 Co', 'A;B'],
    ]);
  });
});
