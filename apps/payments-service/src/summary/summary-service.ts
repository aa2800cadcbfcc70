import type { PaymentSummary, PaymentSummaryQuery } from '@atelier/contracts';
import { DomainError, tenantTx, type Principal } from '@atelier/platform';
import type { PaymentsDeps } from '../deps.js';
import { moneyOf } from '../payments/payment-mapper.js';
import { paymentTotals } from './summary-repository.js';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The current month as days, in UTC: payments-service keeps no replica of the agency, so it does
 * not know the agency's timezone; the web asks with the agency's own month.
 */
export function currentMonth(now: Date): { from: string; to: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return { from: `${y}-${pad(m + 1)}-01`, to: `${y}-${pad(m + 1)}-${pad(last)}` };
}

/** A year of days at most: the dashboard's month, a quarter, a year; not the whole history in one scan. */
const MAX_DAYS = 366;

export async function summarizePayments(deps: PaymentsDeps, who: Principal, q: PaymentSummaryQuery, now = new Date()): Promise<PaymentSummary> {
  const month = currentMonth(now);
  const from = q.from ?? (q.to && q.to < month.from ? q.to : month.from);
  const to = q.to ?? (q.from && q.from > month.to ? q.from : month.to);
  if (from > to) throw new DomainError('invalid', 'payment.invalid_period', '`to` is before `from`', { errors: [{ path: q.to ? 'query.to' : 'query.from', message: 'must be on or after from' }] });
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days >= MAX_DAYS) throw new DomainError('invalid', 'payment.invalid_period', `At most ${MAX_DAYS} days at once`, { errors: [{ path: 'query.to', message: `must be within ${MAX_DAYS} days of from` }] });
  const rows = await tenantTx(deps.db, who.agencyId, (tx) => paymentTotals(tx, from, to), { mode: 'snapshot' });
  return { from, to, data: rows.map((r) => ({ currency: r.currency, received: moneyOf(r.received, r.currency), refunded: moneyOf(r.refunded, r.currency), count: r.count })) };
}
