import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@atelier/contracts';
import { listRoutes, undocumentedRoutes, sendMalformedBodies, newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { seedClient } from './invoice-helpers.js';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBilling();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('OpenAPI covers the invoice routes', () => {
  it('documents every route billing-service serves', () => {
    const served = listRoutes(h.service.app);
    expect(served.length).toBeGreaterThanOrEqual(9);
    expect(undocumentedRoutes(served, routes)).toEqual([]);
  });
});

describe('malformed input never causes a 5xx', () => {
  it('answers 200 malformed bodies across the invoice and settings routes with 4xx problem+json', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const clientId = await seedClient(h.service.ctx.database.db, owner.agencyId);
    const id = (await api('POST', '/api/invoices', { clientId, lineItems: [{ description: 'x', quantity: '1', unitPrice: '1.00' }] })).body.id as string;
    const targets: [string, string][] = [
      ['POST', '/api/invoices'],
      ['PATCH', `/api/invoices/${id}`],
      ['PATCH', '/api/settings/invoicing'],
    ];
    const fields = ['clientId', 'projectId', 'currency', 'issueDate', 'dueDate', 'lineItems', 'discountType', 'discountValue', 'taxRate', 'taxes', 'notes', 'terms', 'numberFormat', 'defaultDueDays', 'rounding', 'reminderDays', 'replyTo', 'fromName'];
    const statuses = await sendMalformedBodies(api, targets, fields, 200, 11);
    expect(statuses.get(400)).toBeGreaterThan(50);
    expect(statuses.get(413)).toBeGreaterThan(10);
    expect(statuses.get(415)).toBeGreaterThan(10);
  });

  it('answers weird line values, odd query strings and path ids with 4xx', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const clientId = await seedClient(h.service.ctx.database.db, owner.agencyId);
    const lines = [
      { description: 'x', quantity: '9999999999.999', unitPrice: '9999999999999.99' },
      { description: 'x', quantity: '-1', unitPrice: '-1.00' },
      { description: 'x', quantity: '1', unitPrice: '1.00', taxRate: '100' },
      { description: 'x', quantity: '1.0001', unitPrice: '1.00' },
    ];
    for (const line of lines) {
      const res = await api('POST', '/api/invoices', { clientId, lineItems: [line], discountType: 'percent', discountValue: '100' });
      expect(res.status, JSON.stringify(line)).toBeLessThan(500);
    }
    for (const path of ['/api/invoices?limit=abc', '/api/invoices?sort=total&cursor=abc', '/api/invoices/%00', '/api/invoices?search=%00', `/api/invoices?search=${'x'.repeat(5000)}`, '/api/invoices?from=2026-13-01', '/api/invoices/not-a-uuid/void', '/api/invoices?status=x']) {
      const res = await api('GET', path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
