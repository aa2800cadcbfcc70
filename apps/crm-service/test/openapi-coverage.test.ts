import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@atelier/contracts';
import { listRoutes, undocumentedRoutes, stopTestService } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';

let h: CrmHarness;
beforeAll(async () => {
  h = await startCrm();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('OpenAPI covers crm-service', () => {
  it('documents every route crm-service serves', () => {
    const served = listRoutes(h.service.app);
    expect(served.length).toBeGreaterThan(15);
    expect(undocumentedRoutes(served, routes)).toEqual([]);
  });
});
