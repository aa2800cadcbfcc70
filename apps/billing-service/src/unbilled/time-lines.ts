import type { InvoicedTimeEntry, InvoiceGroupBy } from '@atelier/contracts';
import { Money, sum } from '@atelier/money';

/** An unbilled billable entry as a draft from time reads it (the replica's figures, frozen when logged). */
export interface BillableEntry {
  id: string;
  version: number;
  taskId: string | null;
  taskTitle: string | null;
  userId: string;
  memberName: string | null;
  date: string;
  roundedMinutes: number;
  description: string | null;
  /** At the currency's scale; null: no rate applied (billed at 0). */
  hourlyRate: string | null;
  amount: string;
}

export interface TimeLine {
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate: null;
  timeEntries: InvoicedTimeEntry[];
}

/** Hours of whole minutes to 3 decimals, half away from zero, in integers: 20 → "0.333", 90 → "1.500". */
export function hoursToThousandths(minutes: number): string {
  const thousandths = Math.floor((minutes * 1000 + 30) / 60);
  return `${Math.floor(thousandths / 1000)}.${String(thousandths % 1000).padStart(3, '0')}`;
}

/** What libs/money `invoiceTotals` makes of a line: quantity × unit price, rounded to the currency. */
const lineAmount = (quantity: string, unitPrice: string, currency: string) => Money.of(unitPrice, currency).times(quantity);

const keyOf = (e: BillableEntry, groupBy: InvoiceGroupBy): string => {
  switch (groupBy) {
    case 'entry':
      return e.id;
    case 'task':
      return e.taskId ?? '';
    case 'user':
      return e.userId;
    case 'day':
      return e.date;
  }
};

const describe = (e: BillableEntry, groupBy: InvoiceGroupBy): string => {
  switch (groupBy) {
    case 'entry':
      return [e.taskTitle, e.description?.trim() || null].filter((s) => s).join(': ') || `Time on ${e.date}`;
    case 'task':
      return e.taskTitle ?? 'Time without a task';
    case 'user':
      return e.memberName ?? 'Former member';
    case 'day':
      return e.date;
  }
};

/**
 * Whether the entries' frozen amounts (each rounded to the currency when it was logged) are
 * reproduced by one line of their rounded hours at their rate. Not always: 3 × 20 minutes at
 * 100.00 are 3 × 33.33 = 99.99, but 1.000 h × 100.00 = 100.00.
 */
function exactLine(entries: BillableEntry[], rate: string, currency: string): { quantity: string; amount: Money } | null {
  const quantity = hoursToThousandths(entries.reduce((n, e) => n + e.roundedMinutes, 0));
  const amount = sum(
    entries.map((e) => Money.of(e.amount, currency)),
    currency,
  );
  return lineAmount(quantity, rate, currency).equals(amount) ? { quantity, amount } : null;
}

/** An entry whose own amount is exactly its minutes at its rate, with hours exact to 3 decimals: any number of them make an exact line. */
const isExact = (e: BillableEntry, rate: string, currency: string) =>
  e.roundedMinutes % 3 === 0 && Money.of(rate, currency).times(hoursToThousandths(e.roundedMinutes)).equals(Money.of(e.amount, currency));

const invoiced = (e: BillableEntry): InvoicedTimeEntry => ({ timeEntryId: e.id, version: e.version, roundedMinutes: e.roundedMinutes, hourlyRate: e.hourlyRate, amount: e.amount });

/**
 * The lines of a draft from time: one per group (entry, task, member or day), split per rate
 * when a group's entries have several (each line bills one frozen rate). Every line's amount is
 * exactly the sum of its entries' frozen amounts: a line is their rounded hours at the rate when
 * that reproduces the sum; when per-entry rounding keeps it from doing so, the entries whose
 * amounts are exact stay on such a line and the rest go on a line of quantity 1 at their summed
 * amount, its description naming the hours and rate. Lines come in the order of their groups'
 * first entries (`entries` sorted by date).
 */
export function timeLines(entries: readonly BillableEntry[], groupBy: InvoiceGroupBy, currency: string): TimeLine[] {
  const groups = new Map<string, Map<string, BillableEntry[]>>();
  for (const e of entries) {
    const key = keyOf(e, groupBy);
    const byRate = groups.get(key) ?? new Map<string, BillableEntry[]>();
    const rate = e.hourlyRate ?? Money.zero(currency).amount;
    const list = byRate.get(rate);
    if (list) list.push(e);
    else byRate.set(rate, [e]);
    groups.set(key, byRate);
  }
  const lines: TimeLine[] = [];
  for (const byRate of groups.values()) {
    const several = byRate.size > 1;
    for (const [rate, group] of byRate) {
      const base = describe(group[0]!, groupBy) + (several ? ` (at ${rate}/h)` : '');
      const line = (part: BillableEntry[]): TimeLine => {
        const exact = exactLine(part, rate, currency);
        if (exact) return { description: base, quantity: exact.quantity, unitPrice: rate, taxRate: null, timeEntries: part.map(invoiced) };
        const hours = hoursToThousandths(part.reduce((n, e) => n + e.roundedMinutes, 0)).replace(/0+$/, '').replace(/\.$/, '');
        const total = sum(
          part.map((e) => Money.of(e.amount, currency)),
          currency,
        );
        const detail = `${hours} h at ${rate}/h, each entry rounded`;
        return { description: `${describe(part[0]!, groupBy)} (${detail})`, quantity: '1', unitPrice: total.amount, taxRate: null, timeEntries: part.map(invoiced) };
      };
      if (exactLine(group, rate, currency)) {
        lines.push(line(group));
        continue;
      }
      const exactOnes = group.filter((e) => isExact(e, rate, currency));
      const rest = group.filter((e) => !isExact(e, rate, currency));
      if (exactOnes.length > 0) lines.push(line(exactOnes));
      if (rest.length > 0) lines.push(line(rest));
    }
  }
  return lines;
}
