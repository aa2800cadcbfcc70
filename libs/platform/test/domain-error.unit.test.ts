import { describe, expect, it } from 'vitest';
import { conflictError, DomainError, invalidField, rateLimitedError, toProblem } from '../src/index.js';

describe('domain errors map to problem+json once, in the kit', () => {
  it('carries the stable code, the status of its kind and the field errors', () => {
    const problem = toProblem(invalidField('client.inactive', 'clientId', 'The client is not active'));
    expect(problem).toEqual({
      type: 'https://atelier.dev/problems/bad-request',
      title: 'Bad Request',
      status: 400,
      detail: 'The client is not active',
      code: 'client.inactive',
      errors: [{ path: 'clientId', message: 'The client is not active' }],
    });
  });

  it('maps each kind to its status', () => {
    expect(toProblem(conflictError('invoice.not_draft', 'Only drafts can be edited')).status).toBe(409);
    expect(toProblem(new DomainError('not_found', 'client.not_found', 'Not found')).status).toBe(404);
    const limited = rateLimitedError('auth.login_throttled', 30);
    expect(toProblem(limited)).toMatchObject({ status: 429, code: 'auth.login_throttled' });
    expect(limited.retryAfterSeconds).toBe(30);
  });
});
