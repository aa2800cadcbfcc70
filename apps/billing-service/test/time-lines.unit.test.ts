import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvoiceGroupBy } from '@atelier/contracts';
import { Money, invoiceTotals, sum } from '@atelier/money';
import { hoursToThousandths, timeLines, type BillableEntry } from '../src/unbilled/time-lines.js';

/** An entry priced as projects prices it: rounded minutes at the frozen rate, rounded to the currency. */
const entry = (minutes: number, rate: string | null, fields: Partial<BillableEntry> = {}, currency = 'EUR'): BillableEntry => ({
  id: randomUUID(),
  version: 1,
  taskId: null,
  taskTitle: null,
  userId: 'u1',
  memberName: 'Marta',
  date: '2026-11-10',
  roundedMinutes: minutes,
  description: null,
  hourlyRate: rate,
  amount: rate === null ? Money.zero(currency).amount : Money.of(rate, currency).timesFraction(minutes, 60).amount,
  ...fields,
});

/** What libs/money makes of the lines: each line's amount, as the invoice will store it. */
const lineAmounts = (lines: ReturnType<typeof timeLines>, currency: string) =>
  invoiceTotals({ currency, rounding: 'document', taxes: [], lines: lines.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice })) }).lines.map((l) => l.amount.amount);

describe('hours to 3 decimals', () => {
  it('rounds half away from zero, exactly', () => {
    expect([0, 1, 15, 20, 40, 90, 100, 1440].map(hoursToThousandths)).toEqual(['0.000', '0.017', '0.250', '0.333', '0.667', '1.500', '1.667', '24.000']);
  });
});

describe('lines of a draft from time', () => {
  const design = { taskId: 't1', taskTitle: 'Design' };
  const build = { taskId: 't2', taskTitle: 'Build' };

  it('groups by task (rounded hours at the frozen rate), by entry (task and description), by member and by day', () => {
    const entries = [
      entry(90, '100.00', { ...design, description: 'Wireframes', date: '2026-11-02' }),
      entry(30, '100.00', { ...build, description: 'Setup', date: '2026-11-02', userId: 'u2', memberName: 'Ben' }),
      entry(60, '100.00', { ...design, description: '  ', date: '2026-11-03' }),
    ];
    expect(timeLines(entries, 'task', 'EUR').map((l) => [l.description, l.quantity, l.unitPrice, l.timeEntries.length])).toEqual([
      ['Design', '2.500', '100.00', 2],
      ['Build', '0.500', '100.00', 1],
    ]);
    expect(timeLines(entries, 'entry', 'EUR').map((l) => l.description)).toEqual(['Design: Wireframes', 'Build: Setup', 'Design']);
    expect(timeLines(entries, 'user', 'EUR').map((l) => [l.description, l.quantity])).toEqual([
      ['Marta', '2.500'],
      ['Ben', '0.500'],
    ]);
    expect(timeLines(entries, 'day', 'EUR').map((l) => [l.description, l.quantity])).toEqual([
      ['2026-11-02', '2.000'],
      ['2026-11-03', '1.000'],
    ]);
    expect(timeLines([entry(15, '80.00')], 'entry', 'EUR')[0]?.description).toBe('Time on 2026-11-10');
    expect(timeLines([entry(15, '80.00')], 'task', 'EUR')[0]?.description).toBe('Time without a task');
  });

  it('carries each entry as reserved: its version, rounded minutes, frozen rate and amount', () => {
    const e = { ...entry(45, '120.00', design), version: 7 };
    expect(timeLines([e], 'task', 'EUR')[0]?.timeEntries).toEqual([{ timeEntryId: e.id, version: 7, roundedMinutes: 45, hourlyRate: '120.00', amount: '90.00' }]);
  });

  it('splits a group with several rates into a line per rate, each at its rate', () => {
    const lines = timeLines([entry(60, '100.00', design), entry(60, '150.00', design), entry(30, '100.00', design)], 'task', 'EUR');
    expect(lines.map((l) => [l.description, l.quantity, l.unitPrice])).toEqual([
      ['Design (at 100.00/h)', '1.500', '100.00'],
      ['Design (at 150.00/h)', '1.000', '150.00'],
    ]);
    expect(lineAmounts(lines, 'EUR')).toEqual(['150.00', '150.00']);
  });

  it('never bills a cent more or less than the entries: 3 × 20 minutes at 100.00 are 99.99, not 1 h × 100.00', () => {
    const entries = [entry(20, '100.00', design), entry(20, '100.00', design), entry(20, '100.00', design), entry(30, '100.00', design)];
    const lines = timeLines(entries, 'task', 'EUR');
    // The exact half hour stays a line of hours at the rate; the thirds are billed at their own amounts.
    expect(lines.map((l) => [l.description, l.quantity, l.unitPrice])).toEqual([
      ['Design', '0.500', '100.00'],
      ['Design (1 h at 100.00/h, each entry rounded)', '1', '99.99'],
    ]);
    expect(lineAmounts(lines, 'EUR')).toEqual(['50.00', '99.99']);
  });

  it('bills time without a rate at 0', () => {
    const lines = timeLines([entry(60, null, design)], 'task', 'EUR');
    expect(lines.map((l) => [l.quantity, l.unitPrice])).toEqual([['1.000', '0.00']]);
  });

  it('for any entries, rates, currency and grouping: every entry once, and each line adds up to exactly its entries', () => {
    const currencies = ['EUR', 'JPY', 'BHD'] as const;
    const rates: Record<(typeof currencies)[number], string[]> = {
      EUR: ['100.00', '95.00', '125.50', '99.99', '0.01', '1234.56'],
      JPY: ['12000', '9999', '1'],
      BHD: ['40.125', '0.001', '99.999'],
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.constantFrom(...InvoiceGroupBy.options),
        fc.array(fc.record({ minutes: fc.integer({ min: 1, max: 1440 }), rate: fc.nat(10), task: fc.nat(3), day: fc.nat(4), nullRate: fc.boolean() }), { minLength: 1, maxLength: 60 }),
        (currency, groupBy, specs) => {
          const list = rates[currency];
          const entries = specs.map((s) =>
            entry(s.minutes, s.nullRate && s.rate === 0 ? null : list[s.rate % list.length]!, { taskId: `t${s.task}`, taskTitle: `Task ${s.task}`, date: `2026-11-1${s.day}`, userId: `u${s.task % 2}` }, currency),
          );
          const lines = timeLines(entries, groupBy, currency);
          const ids = lines.flatMap((l) => l.timeEntries.map((t) => t.timeEntryId));
          expect(ids.sort()).toEqual(entries.map((e) => e.id).sort());
          const amounts = lineAmounts(lines, currency);
          lines.forEach((l, i) => {
            expect(amounts[i]).toBe(sum(l.timeEntries.map((t) => Money.of(t.amount, currency)), currency).amount);
            // A line of hours bills one frozen rate; one line per group and rate otherwise, at most two.
            if (l.quantity !== '1') expect(new Set(l.timeEntries.map((t) => t.hourlyRate ?? Money.zero(currency).amount))).toEqual(new Set([l.unitPrice]));
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
