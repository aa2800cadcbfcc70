import type { InvoiceCurrencySum, InvoiceStatus, InvoiceSummary } from '@atelier/contracts';
import { Money } from '@atelier/money';
import { isOpen } from './labels';

/** Sums per currency of several statuses (outstanding: every open one), added with libs/money. */
export function addSums(rows: readonly InvoiceCurrencySum[]): InvoiceCurrencySum[] {
  const byCurrency = new Map<string, { total: Money; amountDue: Money; amountPaid: Money }>();
  for (const r of rows) {
    const at = byCurrency.get(r.currency);
    const next = {
      total: Money.of(r.total, r.currency),
      amountDue: Money.of(r.amountDue, r.currency),
      amountPaid: Money.of(r.amountPaid, r.currency),
    };
    byCurrency.set(r.currency, at ? { total: at.total.plus(next.total), amountDue: at.amountDue.plus(next.amountDue), amountPaid: at.amountPaid.plus(next.amountPaid) } : next);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, s]) => ({ currency, total: s.total.amount, amountDue: s.amountDue.amount, amountPaid: s.amountPaid.amount }));
}

/** Count and sums of the statuses `keep` admits. */
export function pick(summary: InvoiceSummary, keep: (status: InvoiceStatus) => boolean): { count: number; sums: InvoiceCurrencySum[] } {
  const rows = summary.statuses.filter((s) => keep(s.status));
  return { count: rows.reduce((n, s) => n + s.count, 0), sums: addSums(rows.flatMap((s) => s.sums)) };
}

/** What the dashboard shows: money still expected, the overdue part of it, and what was paid since the month began. */
export function dashboardFigures(summary: InvoiceSummary) {
  return {
    outstanding: pick(summary, isOpen),
    overdue: pick(summary, (s) => s === 'overdue'),
    paid: summary.paid ?? { count: 0, sums: [] },
  };
}

/** The instant the agency's current month began, in its time zone (an IANA name; UTC when unknown). */
export function monthStart(now: Date, timeZone: string | null | undefined): string {
  const zone = timeZone || 'UTC';
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  } catch {
    return monthStart(now, 'UTC');
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const year = get('year');
  const month = get('month');
  // Midnight of the 1st in that zone: the UTC midnight, moved by the zone's offset at that instant.
  const utcMidnight = Date.UTC(year, month - 1, 1);
  const offset = zoneOffsetMs(new Date(utcMidnight), zone);
  const guess = utcMidnight - offset;
  // Across a DST change the offset at the guess can differ; one correction settles it.
  const corrected = utcMidnight - zoneOffsetMs(new Date(guess), zone);
  return new Date(corrected).toISOString();
}

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Today on the reader's computer as `YYYY-MM-DD` (the overdue mark of the list). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
