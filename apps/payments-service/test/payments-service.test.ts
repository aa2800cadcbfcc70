import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient, stopTestService } from '@atelier/platform/testing';
import { startPayments, type PaymentsHarness } from './payments-harness.js';

let h: PaymentsHarness;
beforeAll(async () => {
  h = await startPayments();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('payments-service', () => {
  it('is alive and ready, with the database and the broker reachable', async () => {
    const anon = serviceClient(h.url);
    const health = await anon('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', service: 'payments' });

    const ready = await anon('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok', broker: 'ok', 'consumer:payments.invoice-replica': 'ok' } });
  });

  it('runs the outbox relay', () => {
    expect(h.service.relay).not.toBeNull();
  });

  it('rejects API requests without a valid internal token as problem+json', async () => {
    const res = await serviceClient(h.url)('GET', '/api/anything');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401 });
  });
});
