import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@atelier/contracts';
import { listRoutes, undocumentedRoutes, malformedBodies, sendMalformedBodies, newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { signatureHeader } from '@atelier/tool-stripe-emulator';
import { deliver, invoiceEvents, startPayments, type PaymentsHarness } from './payments-harness.js';
import { postWebhook } from './stripe-helpers.js';

let h: PaymentsHarness;
beforeAll(async () => {
  // Nothing here may reach Stripe: a malformed body is refused before any call.
  h = await startPayments({ env: { STRIPE_API_BASE: 'http://127.0.0.1:9' } });
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('OpenAPI covers payments-service', () => {
  it('documents every route payments-service serves', () => {
    const served = listRoutes(h.service.app);
    expect(served.length).toBeGreaterThanOrEqual(9);
    expect(undocumentedRoutes(served, routes)).toEqual([]);
  });
});

describe('malformed input never causes a 5xx', () => {
  it('answers 200 malformed bodies across the payment routes with 4xx problem+json and writes nothing', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const inv = invoiceEvents(owner.agencyId);
    await deliver(h, 'payments.invoice-replica', inv.issued(1));
    const paid = await api('POST', '/api/payments', { invoiceId: inv.invoiceId, amount: '10.00', method: 'cash', paidOn: '2026-11-30' });
    expect(paid.status).toBe(201);
    const targets: [string, string][] = [
      ['POST', '/api/payments'],
      ['POST', '/api/payments/checkout'],
      ['POST', `/api/payments/${paid.body.id}/refund`],
    ];
    const fields = ['invoiceId', 'amount', 'method', 'paidOn', 'reference'];
    const statuses = await sendMalformedBodies(api, targets, fields, 200, 11);
    expect(statuses.get(400)).toBeGreaterThan(50);
    const list = await api('GET', `/api/payments?invoiceId=${inv.invoiceId}`);
    expect(list.body.data).toEqual([expect.objectContaining({ id: paid.body.id, amountRefunded: '0.00' })]);
  });

  it('answers fuzzed webhook bodies and signatures with 400, and signed bodies that are no event with a 4xx or an acknowledgement', async () => {
    const headers = [undefined, '', 't=', 'v1=abc', 't=1,v1=00', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`, 'garbage,,,=', 't=9999999999,v1=zz'];
    for (const [i, { body }] of malformedBodies(120, ['id', 'type', 'data', 'object', 'created'], 5).entries()) {
      const res = await postWebhook(h.url, body, headers[i % headers.length]);
      expect([400, 413], body.slice(0, 80)).toContain(res.status);
    }
    for (const body of ['{}', '[]', 'null', '{"id":"evt_x","data":null}', '{"id":"evt_y","type":"charge.refunded","data":{"object":{"object":"charge"}}}', '{"id":1,"created":"x","data":{"object":[]}}']) {
      const res = await postWebhook(h.url, body, signatureHeader(body, 'whsec_atelier_local_emulator_secret', Math.floor(Date.now() / 1000)));
      expect(res.status, body).toBeLessThan(500);
    }
  });

  it('answers odd query strings and path ids with 4xx', async () => {
    const api = serviceClient(h.url, newPrincipal('owner'));
    for (const path of ['/api/payments?limit=abc', '/api/payments?limit=1&limit=2', '/api/payments/%00', '/api/payments?cursor=%00', '/api/payments?status=nope', '/api/payments?invoiceId=x', '/api/payments/..%2f..', `/api/payments/${randomUUID()}`, '/api/payments/webhook-events?status=x', '/api/payments/webhook-events?cursor=abc']) {
      const res = await api('GET', path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
