import { describe, expect, it } from 'vitest';
import { allocate, CURRENCY_CODES, formatMoney, isCurrencyCode, minorUnits, Money, MoneyError, split, sum } from '../src/index.js';

const eur = (amount: string) => Money.of(amount, 'EUR');
const amounts = (list: Money[]) => list.map((m) => m.amount);

function moneyError(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MoneyError) return error;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

describe('golden cases', () => {
  it('1000.00 × 19 % = 190.00', () => {
    expect(eur('1000.00').percent('19').amount).toBe('190.00');
  });

  it('138.66 × 19 % tax = 26.35 (half away from zero), total 165.01', () => {
    const net = eur('138.66');
    const tax = net.percent('19');
    expect(tax.amount).toBe('26.35');
    expect(net.plus(tax).amount).toBe('165.01');
  });

  it('JPY 500 is 500 minor units; BHD 1.234 is 1234', () => {
    expect(Money.of('500', 'JPY').toMinorUnits()).toBe(500);
    expect(Money.of('1.234', 'BHD').toMinorUnits()).toBe(1234);
    expect(Money.fromMinorUnits(1234, 'BHD').amount).toBe('1.234');
    expect(Money.fromMinorUnits(500, 'JPY').amount).toBe('500');
  });
});

describe('currencies', () => {
  it('knows the ISO 4217 minor units', () => {
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KRW')).toBe(0);
    expect(minorUnits('ISK')).toBe(0);
    expect(minorUnits('USD')).toBe(2);
    expect(minorUnits('EUR')).toBe(2);
    expect(minorUnits('MGA')).toBe(2);
    for (const code of ['BHD', 'KWD', 'JOD', 'OMR', 'TND', 'IQD', 'LYD']) expect(minorUnits(code)).toBe(3);
    expect(minorUnits('CLF')).toBe(4);
    expect(CURRENCY_CODES.length).toBeGreaterThan(150);
  });

  it('refuses codes that are no currency', () => {
    expect(isCurrencyCode('XAU')).toBe(false);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(moneyError(() => minorUnits('ABC')).code).toBe('money.unknown_currency');
    expect(moneyError(() => Money.of('1', 'ABC')).message).toContain('"ABC"');
  });
});

describe('parsing', () => {
  it('keeps amounts at the currency scale', () => {
    expect(eur('5').amount).toBe('5.00');
    expect(eur('-0.5').amount).toBe('-0.50');
    expect(Money.of('1.2', 'BHD').amount).toBe('1.200');
    expect(Money.of('9999999999999.99', 'USD').amount).toBe('9999999999999.99');
  });

  it('refuses anything but a plain decimal string, naming what is wrong', () => {
    for (const bad of ['', ' 1', '1 ', '+1', '1e3', '1,00', '.5', '5.', '--1', 'NaN', 'Infinity', '0x10']) {
      const error = moneyError(() => eur(bad));
      expect(error.code, bad).toBe('money.invalid_decimal');
      expect(error.message).toContain(JSON.stringify(bad));
    }
    expect(moneyError(() => Money.of(1 as unknown as string, 'EUR')).code).toBe('money.invalid_decimal');
  });

  it('refuses more decimals than the currency has instead of rounding silently', () => {
    const error = moneyError(() => eur('1.005'));
    expect(error.code).toBe('money.too_many_decimals');
    expect(error.message).toBe('1.005 has more decimals than EUR allows (2)');
    expect(moneyError(() => Money.of('1.5', 'JPY')).code).toBe('money.too_many_decimals');
  });

  it('rounds on request', () => {
    expect(Money.round('1.005', 'EUR').amount).toBe('1.01');
    expect(Money.round('1.005', 'EUR', 'halfEven').amount).toBe('1.00');
    expect(Money.round('-0.001', 'EUR').amount).toBe('0.00');
    expect(Money.round('2.5', 'JPY').amount).toBe('3');
  });
});

describe('rounding modes', () => {
  const cases: [string, Record<string, string>][] = [
    ['2.345', { halfAwayFromZero: '2.35', halfEven: '2.34', up: '2.35', down: '2.34', ceil: '2.35', floor: '2.34' }],
    ['2.355', { halfAwayFromZero: '2.36', halfEven: '2.36', up: '2.36', down: '2.35', ceil: '2.36', floor: '2.35' }],
    ['2.341', { halfAwayFromZero: '2.34', halfEven: '2.34', up: '2.35', down: '2.34', ceil: '2.35', floor: '2.34' }],
    ['-2.345', { halfAwayFromZero: '-2.35', halfEven: '-2.34', up: '-2.35', down: '-2.34', ceil: '-2.34', floor: '-2.35' }],
    ['-2.341', { halfAwayFromZero: '-2.34', halfEven: '-2.34', up: '-2.35', down: '-2.34', ceil: '-2.34', floor: '-2.35' }],
  ];
  for (const [value, expected] of cases) {
    for (const [mode, result] of Object.entries(expected)) {
      it(`${value} ${mode} → ${result}`, () => {
        expect(Money.round(value, 'EUR', mode as never).amount).toBe(result);
      });
    }
  }

  it('rounds negative amounts symmetrically', () => {
    expect(eur('-138.66').percent('19').amount).toBe('-26.35');
    expect(eur('-0.05').percent('50').amount).toBe('-0.03');
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and compares in one currency', () => {
    expect(eur('0.10').plus(eur('0.20')).amount).toBe('0.30');
    expect(eur('0.10').minus(eur('0.30')).amount).toBe('-0.20');
    expect(eur('1.00').negate().amount).toBe('-1.00');
    expect(eur('0.00').negate().amount).toBe('0.00');
    expect(eur('-3.00').abs().amount).toBe('3.00');
    expect(eur('1.00').compare(eur('2.00'))).toBe(-1);
    expect(eur('2.00').compare(eur('2'))).toBe(0);
    expect(eur('2.00').equals(eur('2'))).toBe(true);
    expect(eur('2.00').equals(Money.of('2', 'USD'))).toBe(false);
    expect([eur('0').isZero(), eur('-1').isNegative(), eur('1').isPositive(), eur('0').isPositive()]).toEqual([true, true, true, false]);
  });

  it('refuses to mix currencies', () => {
    const error = moneyError(() => eur('1').plus(Money.of('1', 'USD')));
    expect(error.code).toBe('money.currency_mismatch');
    expect(error.message).toBe('cannot combine EUR with USD');
  });

  it('multiplies by a decimal factor and rounds once', () => {
    expect(eur('95.00').times('1.25').amount).toBe('118.75');
    expect(eur('33.33').times('0.333').amount).toBe('11.10');
    expect(Money.of('1000', 'JPY').times('0.0825').amount).toBe('83');
    expect(Money.of('10.000', 'KWD').percent('9.975').amount).toBe('0.998');
    expect(eur('100.00').percent('9.975', 'down').amount).toBe('9.97');
  });

  it('sums a list, and the empty list is zero', () => {
    expect(sum([eur('0.10'), eur('0.20'), eur('0.30')], 'EUR').amount).toBe('0.60');
    expect(sum([], 'JPY').amount).toBe('0');
  });

  it('serialises as amount and currency, never as a float', () => {
    expect(JSON.stringify(Money.of('1.5', 'BHD'))).toBe('{"amount":"1.500","currency":"BHD"}');
    expect(String(eur('1'))).toBe('1.00 EUR');
  });

  it('refuses minor-unit counts that are not safe integers', () => {
    expect(moneyError(() => Money.fromMinorUnits(1.5, 'EUR')).code).toBe('money.unsafe_integer');
    expect(moneyError(() => Money.of('99999999999999999999', 'EUR').toMinorUnits()).code).toBe('money.unsafe_integer');
    expect(Money.fromMinorUnits(12345678901234567890n, 'EUR').amount).toBe('123456789012345678.90');
  });
});

describe('allocation', () => {
  it('never loses or invents a cent', () => {
    expect(amounts(split(eur('100.00'), 3))).toEqual(['33.34', '33.33', '33.33']);
    expect(amounts(split(eur('-100.00'), 3))).toEqual(['-33.34', '-33.33', '-33.33']);
    expect(amounts(allocate(eur('0.05'), [3, 7]))).toEqual(['0.02', '0.03']);
    expect(amounts(allocate(eur('10.00'), ['0.5', '0.25', '0.25']))).toEqual(['5.00', '2.50', '2.50']);
    expect(amounts(allocate(Money.of('100', 'JPY'), [1, 0, 2]))).toEqual(['33', '0', '67']);
    expect(amounts(allocate(eur('0.01'), [1, 1]))).toEqual(['0.01', '0.00']);
  });

  it('gives leftover units to the largest remainders first', () => {
    // 1.00 by 1:1:1:1:1:1:1 leaves 2 cents; 0.00 by 2:1 has none.
    expect(amounts(allocate(eur('1.00'), [1, 1, 1, 1, 1, 1, 1]))).toEqual(['0.15', '0.15', '0.14', '0.14', '0.14', '0.14', '0.14']);
    expect(amounts(allocate(eur('1.00'), [1, 2]))).toEqual(['0.33', '0.67']);
  });

  it('refuses ratios that cannot split anything', () => {
    expect(moneyError(() => allocate(eur('1'), [])).code).toBe('money.invalid_ratios');
    expect(moneyError(() => allocate(eur('1'), [0, 0])).code).toBe('money.invalid_ratios');
    expect(moneyError(() => allocate(eur('1'), ['-1', '2'])).code).toBe('money.invalid_ratios');
    expect(moneyError(() => allocate(eur('1'), [0.5])).code).toBe('money.invalid_ratios');
    expect(moneyError(() => split(eur('1'), 0)).code).toBe('money.invalid_ratios');
  });
});

describe('formatting', () => {
  it('formats for people with the ISO decimals of the currency', () => {
    expect(formatMoney(eur('1190'), { locale: 'en-US' })).toBe('€1,190.00');
    expect(formatMoney(eur('1190'), { locale: 'de-DE' })).toBe('1.190,00\u00a0€');
    expect(formatMoney(Money.of('500', 'JPY'), { locale: 'en-US' })).toBe('¥500');
    expect(formatMoney(Money.of('1.234', 'BHD'), { locale: 'en-US', currencyDisplay: 'code' })).toBe('BHD\u00a01.234');
    expect(formatMoney(Money.of('-5', 'USD'), { locale: 'en-US' })).toBe('-$5.00');
  });

  it('formats amounts beyond float precision exactly', () => {
    expect(formatMoney(eur('9007199254740993.01'), { locale: 'en-US', currencyDisplay: 'code' })).toBe('EUR\u00a09,007,199,254,740,993.01');
  });
});

describe('timesFraction', () => {
  it('multiplies by a fraction and rounds once, exactly', () => {
    expect(Money.of('100.00', 'EUR').timesFraction(7, 60).amount).toBe('11.67');
    expect(Money.of('100.00', 'EUR').timesFraction(1, 3, 'down').amount).toBe('33.33');
    expect(Money.of('100.00', 'EUR').timesFraction(2, 3, 'up').amount).toBe('66.67');
    expect(Money.of('0.05', 'EUR').timesFraction(1, 2, 'halfEven').amount).toBe('0.02');
    expect(Money.of('0.07', 'EUR').timesFraction(1, 2, 'halfEven').amount).toBe('0.04');
    expect(Money.of('-0.05', 'EUR').timesFraction(1, 2).amount).toBe('-0.03');
    expect(Money.of('-0.05', 'EUR').timesFraction(1, 2, 'ceil').amount).toBe('-0.02');
    expect(Money.of('-0.05', 'EUR').timesFraction(1, 2, 'floor').amount).toBe('-0.03');
    expect(Money.of('0.05', 'EUR').timesFraction(-1, 2).amount).toBe('-0.03');
    expect(Money.of('12.345', 'BHD').timesFraction(30, 60).amount).toBe('6.173');
    expect(() => Money.of('1.00', 'EUR').timesFraction(1, 0)).toThrow(/divide by zero/);
  });
});
