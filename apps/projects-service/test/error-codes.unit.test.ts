import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes, routes } from '@atelier/contracts';
import { thrownErrorCodes } from '@atelier/platform/testing';

const thrown = thrownErrorCodes(join(import.meta.dirname, '../src'));

describe('projects-service error codes', () => {
  it('throws only codes the contract documents, and documents each on an operation', () => {
    expect(thrown.length).toBeGreaterThanOrEqual(8);
    expect(thrown.filter((c) => !(c in errorCodes))).toEqual([]);
    const onOperations = new Set(routes.flatMap((r) => r.errorCodes ?? []));
    expect(thrown.filter((c) => !onOperations.has(c as keyof typeof errorCodes))).toEqual([]);
  });
});
