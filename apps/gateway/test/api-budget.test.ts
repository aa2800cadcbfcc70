import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database, type DomainError } from '@atelier/platform';
import { createTestDatabase, type TestDatabase } from '@atelier/platform/testing';
import { ApiBudget } from '../src/rate-limits/api-budget.js';
import { migrations } from './gateway-harness.js';

/**
 * The per-session request budget reserves slices of the shared counter. A burst of concurrent
 * requests from one busy client must get exactly the budget, no less: when each request that
 * found the lease empty reserved a slice of its own, twenty of them used the whole budget up at
 * once and the client was refused for the rest of the window.
 */
const BUDGET = 1000;

let db: TestDatabase;
let database: Database;

beforeAll(async () => {
  db = await createTestDatabase({ gateway: migrations('gateway') });
  database = createDatabase(db.urlFor('gateway'), { max: 5 });
});

afterAll(async () => {
  await database?.close();
  await db?.drop();
});

describe('API request budget', () => {
  it('grants a burst of concurrent requests the whole budget and refuses exactly the rest', async () => {
    const budget = new ApiBudget(database.db, { max: BUDGET, windowSeconds: 3600 });
    const subject = `s:${randomUUID()}`;
    const outcomes = await Promise.allSettled(Array.from({ length: BUDGET + 200 }, () => budget.spend(subject)));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(outcomes.length - refused.length).toBe(BUDGET);
    for (const o of refused) expect(((o as PromiseRejectedResult).reason as DomainError).code).toBe('rate_limit.api_budget');
  });
});
