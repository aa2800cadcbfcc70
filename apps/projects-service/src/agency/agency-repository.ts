import { workDate } from '@atelier/time';
import { transactionNow, type Tx } from '@atelier/platform';
import { agencies } from '../db/schema.js';

export interface AgencyFacts {
  timezone: string;
  currency: string;
}

/**
 * Until the gateway's first agency event arrives, work days are UTC days and agency amounts
 * are in EUR (the gateway's default currency): better than refusing to log time. The replica
 * normally has the agency before its first request.
 */
export const AGENCY_FALLBACK: AgencyFacts = { timezone: 'UTC', currency: 'EUR' };

/** The agency of the transaction as the replica knows it. */
export async function agencyFacts(tx: Tx): Promise<AgencyFacts> {
  const [row] = await tx.select({ timezone: agencies.timezone, currency: agencies.currency }).from(agencies).limit(1);
  return row ?? AGENCY_FALLBACK;
}

/** Today in the agency's timezone, by the database's clock (the one every stored instant uses). */
export async function agencyToday(tx: Tx): Promise<string> {
  const [now, facts] = await Promise.all([transactionNow(tx), agencyFacts(tx)]);
  return workDate(now, facts.timezone);
}
