import { describe, expect, it } from 'vitest';
import { amountProblem, invoiceMoved, monthDays, pollUntil, refundableRest } from '../src/lib/components/payments/payments.js';
import { replayOutcome } from '../src/lib/components/payments/webhook-list.js';

const payment = (amount: string, amountRefunded: string, status: 'succeeded' | 'partially_refunded' | 'refunded' | 'pending' | 'failed', currency = 'EUR') => ({ amount, amountRefunded, status, currency });

describe('refundableRest', () => {
  it('is what remains, exact to the cent, in the currency’s decimals', () => {
    expect(refundableRest(payment('0.30', '0.10', 'partially_refunded'))).toBe('0.20');
    expect(refundableRest(payment('100.00', '0.00', 'succeeded'))).toBe('100.00');
    expect(refundableRest(payment('5000', '1234', 'partially_refunded', 'JPY'))).toBe('3766');
    expect(refundableRest(payment('3.335', '1.110', 'partially_refunded', 'BHD'))).toBe('2.225');
  });

  it('is null when nothing can be refunded', () => {
    expect(refundableRest(payment('10.00', '10.00', 'refunded'))).toBeNull();
    expect(refundableRest(payment('10.00', '10.00', 'partially_refunded'))).toBeNull();
    expect(refundableRest(payment('10.00', '0.00', 'pending'))).toBeNull();
    expect(refundableRest(payment('10.00', '0.00', 'failed'))).toBeNull();
  });
});

describe('amountProblem', () => {
  it('takes plain positive decimals within the currency’s scale and an upper bound', () => {
    expect(amountProblem('120.50', 'EUR')).toBeUndefined();
    expect(amountProblem(' 7 ', 'EUR')).toBeUndefined();
    expect(amountProblem('0.20', 'EUR', '0.20')).toBeUndefined();
    expect(amountProblem('1234', 'JPY')).toBeUndefined();
  });

  it('words what is wrong', () => {
    expect(amountProblem('', 'EUR')).toBe('is required');
    expect(amountProblem('1,250.00', 'EUR')).toBe('must be a number such as 120.50');
    expect(amountProblem('-5', 'EUR')).toBe('must be a number such as 120.50');
    expect(amountProblem('1e3', 'EUR')).toBe('must be a number such as 120.50');
    expect(amountProblem('0.00', 'EUR')).toBe('must be more than zero');
    expect(amountProblem('12.5', 'JPY')).toBe('has more decimals than JPY allows');
    expect(amountProblem('1.001', 'EUR')).toBe('has more decimals than EUR allows');
    expect(amountProblem('0.21', 'EUR', '0.20')).toBe('must be at most 0.20');
  });
});

describe('invoiceMoved', () => {
  const inv = { amountPaid: '0.00', amountDue: '100.00', status: 'sent' as const };
  it('sees a change of figures or status, and nothing else', () => {
    expect(invoiceMoved(inv, { ...inv })).toBe(false);
    expect(invoiceMoved(inv, { ...inv, amountPaid: '40.00', amountDue: '60.00' })).toBe(true);
    expect(invoiceMoved(inv, { ...inv, status: 'paid' })).toBe(true);
  });
});

describe('pollUntil', () => {
  it('reads until the answer is the awaited one, waiting between reads', async () => {
    const answers = [1, 2, 3, 4];
    const waits: number[] = [];
    const result = await pollUntil(async () => answers.shift()!, (v) => v === 3, { tries: 10, delayMs: 5, wait: async (ms) => void waits.push(ms) });
    expect(result).toEqual({ value: 3, settled: true });
    expect(waits).toEqual([5, 5]);
  });

  it('gives up after the tries it has, with the last answer', async () => {
    let reads = 0;
    const result = await pollUntil(async () => ++reads, () => false, { tries: 4, delayMs: 1, wait: async () => {} });
    expect(result).toEqual({ value: 4, settled: false });
    expect(reads).toBe(4);
  });

  it('reads once when the first answer will do', async () => {
    let reads = 0;
    expect(await pollUntil(async () => ++reads, () => true, { wait: async () => {} })).toEqual({ value: 1, settled: true });
    expect(reads).toBe(1);
  });
});

describe('monthDays', () => {
  it('is the month of the instant in the agency’s time zone', () => {
    // 23:30 UTC on 31 January is already 1 February in Berlin, still 31 January in New York.
    const at = new Date('2026-01-31T23:30:00Z');
    expect(monthDays(at, 'Europe/Berlin')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthDays(at, 'America/New_York')).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(monthDays(new Date('2028-02-15T12:00:00Z'), 'UTC')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('falls back to UTC for an unknown or missing zone', () => {
    const at = new Date('2026-12-31T23:30:00Z');
    expect(monthDays(at, 'Not/AZone')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(monthDays(at, null)).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});

describe('replayOutcome', () => {
  it('says the status after the replay, and the error when it failed again', () => {
    expect(replayOutcome({ stripeEventId: 'evt_1' }, { status: 'processed', error: null })).toBe('evt_1 was replayed: processed.');
    expect(replayOutcome({ stripeEventId: 'evt_2' }, { status: 'failed', error: 'Stripe unreachable' })).toBe('evt_2 was replayed and failed again: Stripe unreachable.');
  });
});
