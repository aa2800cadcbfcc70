import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edgeErrorCodes, errorCodes, routes } from '@atelier/contracts';
import { thrownErrorCodes } from '@atelier/platform/testing';

const thrown = thrownErrorCodes(join(import.meta.dirname, '../src'));

describe('gateway (identity) error codes', () => {
  it('throws only codes the contract documents, and documents each on an operation', () => {
    expect(thrown.length).toBeGreaterThanOrEqual(25);
    expect(thrown.filter((c) => !(c in errorCodes))).toEqual([]);
    const onOperations = new Set([...routes.flatMap((r) => r.errorCodes ?? []), ...edgeErrorCodes]);
    expect(thrown.filter((c) => !onOperations.has(c as keyof typeof errorCodes))).toEqual([]);
  });
});
