import { describe, expect, it } from 'vitest';
import { loadPaymentsConfig } from '../src/config.js';

describe('payments config', () => {
  it('takes the first of a comma-separated PUBLIC_ORIGIN (as the gateway is given it) and refuses one that is no URL', () => {
    expect(loadPaymentsConfig({ PUBLIC_ORIGIN: 'http://localhost:3000, http://127.0.0.1:3000' }).PUBLIC_ORIGIN).toBe('http://localhost:3000');
    expect(loadPaymentsConfig({}).PUBLIC_ORIGIN).toBe('http://localhost:3000');
    expect(() => loadPaymentsConfig({ PUBLIC_ORIGIN: 'not a url' })).toThrow(/PUBLIC_ORIGIN/);
  });
});
