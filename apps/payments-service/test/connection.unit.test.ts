import { describe, expect, it } from 'vitest';
import { DEV_STRIPE_SECRET_KEY, DEV_STRIPE_WEBHOOK_SECRET } from '../src/config.js';
import { describeConnection } from '../src/connection/connection-service.js';
import { currentMonth } from '../src/summary/summary-service.js';

describe('describeConnection', () => {
  it('names the emulator by its base URL and the development keys as such', () => {
    expect(describeConnection({ STRIPE_API_BASE: 'http://127.0.0.1:12111', STRIPE_SECRET_KEY: DEV_STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: DEV_STRIPE_WEBHOOK_SECRET })).toEqual({
      mode: 'emulator',
      livemode: false,
      apiHost: '127.0.0.1:12111',
      developmentKeys: true,
      webhookSecretConfigured: false,
    });
  });

  it('is Stripe without a base URL or with Stripe’s own host; live keys are live mode, restricted ones too', () => {
    expect(describeConnection({ STRIPE_API_BASE: undefined, STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_account' })).toEqual({
      mode: 'stripe',
      livemode: true,
      apiHost: 'api.stripe.com',
      developmentKeys: false,
      webhookSecretConfigured: true,
    });
    expect(describeConnection({ STRIPE_API_BASE: 'https://api.stripe.com', STRIPE_SECRET_KEY: 'rk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_account' })).toMatchObject({ mode: 'stripe', livemode: false });
    expect(describeConnection({ STRIPE_API_BASE: undefined, STRIPE_SECRET_KEY: 'rk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_account' }).livemode).toBe(true);
  });
});

describe('currentMonth', () => {
  it('is the UTC month of the instant, through its last day (leap years, December)', () => {
    expect(currentMonth(new Date('2028-02-10T12:00:00Z'))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(currentMonth(new Date('2026-12-31T23:59:59Z'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(currentMonth(new Date('2027-01-01T00:00:00Z'))).toEqual({ from: '2027-01-01', to: '2027-01-31' });
  });
});
