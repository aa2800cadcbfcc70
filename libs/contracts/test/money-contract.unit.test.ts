import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { amountsInCurrency, CreateClientBody, KnownCurrencyCode, Money } from '../src/index.js';

const Priced = z.object({ amount: Money, fee: Money.optional(), currency: KnownCurrencyCode }).superRefine(amountsInCurrency(['amount', 'fee']));

const issues = (value: unknown) => {
  const result = Priced.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('Money in the contract', () => {
  it('keeps the EUR and USD behaviour: up to 2 decimals', () => {
    expect(issues({ amount: '1250.00', currency: 'EUR' })).toEqual([]);
    expect(issues({ amount: '-3.5', currency: 'USD' })).toEqual([]);
    expect(issues({ amount: '1.005', currency: 'EUR' })).toEqual(['amount: must have at most 2 decimals in EUR']);
    expect(issues({ amount: 12.5, currency: 'EUR' })).toEqual(['amount: Invalid input: expected string, received number']);
    expect(issues({ amount: '1e3', currency: 'USD' })).toEqual(['amount: must be a decimal string such as "1250.00"']);
  });

  it('follows the currency scale: JPY none, BHD three', () => {
    expect(issues({ amount: '500', currency: 'JPY' })).toEqual([]);
    expect(issues({ amount: '500.5', currency: 'JPY' })).toEqual(['amount: must be a whole amount in JPY']);
    expect(issues({ amount: '1.234', fee: '0.001', currency: 'BHD' })).toEqual([]);
    expect(issues({ amount: '1.234', fee: '0.0001', currency: 'BHD' })).toEqual(['fee: must have at most 3 decimals in BHD']);
  });

  it('requires a currency the money library knows', () => {
    expect(issues({ amount: '1', currency: 'XYZ' })).toEqual(['currency: must be an ISO 4217 currency code']);
    expect(CreateClientBody.safeParse({ name: 'ACME', currency: 'XYZ' }).success).toBe(false);
    expect(CreateClientBody.safeParse({ name: 'ACME', currency: 'JPY' }).success).toBe(true);
  });
});
