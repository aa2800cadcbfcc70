import { describe, expect, it } from 'vitest';
import { fromStripeAmount, Money, MoneyError, stripeDecimals, toStripeAmount } from '../src/index.js';

describe('Stripe minor units', () => {
  it('uses minor units as Stripe counts them', () => {
    expect(toStripeAmount(Money.of('10.00', 'USD'))).toBe(1000);
    expect(toStripeAmount(Money.of('500', 'JPY'))).toBe(500);
    expect(toStripeAmount(Money.of('1.230', 'BHD'))).toBe(1230);
    expect(toStripeAmount(Money.of('5', 'ISK'))).toBe(500);
    expect(toStripeAmount(Money.of('1500', 'MGA'))).toBe(1500);
    expect([stripeDecimals('JPY'), stripeDecimals('MGA'), stripeDecimals('ISK'), stripeDecimals('KWD'), stripeDecimals('EUR')]).toEqual([0, 0, 2, 3, 2]);
  });

  it('refuses what Stripe cannot charge exactly, unless told how to round', () => {
    for (const money of [Money.of('1.234', 'BHD'), Money.of('1.50', 'MGA')]) {
      expect(() => toStripeAmount(money)).toThrow(MoneyError);
    }
    expect(toStripeAmount(Money.of('1.234', 'BHD'), 'halfAwayFromZero')).toBe(1230);
    expect(toStripeAmount(Money.of('1.235', 'BHD'), 'halfAwayFromZero')).toBe(1240);
    expect(toStripeAmount(Money.of('1.50', 'MGA'), 'floor')).toBe(1);
  });

  it('reads Stripe amounts back', () => {
    expect(fromStripeAmount(1000, 'USD').amount).toBe('10.00');
    expect(fromStripeAmount(500, 'JPY').amount).toBe('500');
    expect(fromStripeAmount(1230, 'BHD').amount).toBe('1.230');
    expect(fromStripeAmount(500, 'ISK').amount).toBe('5');
    expect(fromStripeAmount(1500, 'MGA').amount).toBe('1500.00');
    expect(() => fromStripeAmount(550, 'ISK')).toThrow(/fraction/);
    expect(() => fromStripeAmount(10.5, 'USD')).toThrow(MoneyError);
  });
});
