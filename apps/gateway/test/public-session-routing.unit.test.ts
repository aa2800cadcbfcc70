import { describe, expect, it } from 'vitest';
import { matchRoute } from '../src/proxy/routing-table.js';

describe('sessions on public routes', () => {
  it("forwards a signed-in caller's session only to billing's public invoice page (staff preview), never to checkout or webhooks", () => {
    expect(matchRoute('/api/public/invoices/abc', 'GET')).toMatchObject({ upstream: 'billing', public: true, forwardSession: true });
    expect(matchRoute('/api/public/invoices/abc/pdf', 'GET')).toMatchObject({ upstream: 'billing', public: true, forwardSession: true });
    expect(matchRoute('/api/public/invoices/abc/checkout', 'POST')).toMatchObject({ upstream: 'payments', public: true });
    expect(matchRoute('/api/public/invoices/abc/checkout', 'POST')?.forwardSession).toBeUndefined();
    expect(matchRoute('/webhooks/stripe', 'POST')?.forwardSession).toBeUndefined();
  });
});
