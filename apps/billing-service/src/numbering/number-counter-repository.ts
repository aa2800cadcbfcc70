import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { agencies } from '../db/schema.js';

/**
 * The next number of the agency's year: the counter row is created or bumped in one statement,
 * which holds its row lock until the issuing transaction ends. Concurrent issues queue on it; a
 * rollback undoes the bump, so the sequence has no gaps and no duplicates.
 */
export async function nextSequence(tx: Tx, agencyId: string, year: number): Promise<number> {
  const [row] = await tx.execute<{ last_value: number }>(sql`
    insert into billing.invoice_number_counters as c (agency_id, year, last_value) values (${agencyId}, ${year}, 1)
    on conflict (agency_id, year) do update set last_value = c.last_value + 1
    returning c.last_value`);
  return Number(row!.last_value);
}

/** Until the gateway's first agency event arrives, the agency's days are UTC days. */
export const AGENCY_TIMEZONE_FALLBACK = 'UTC';

export async function agencyTimezone(tx: Tx, agencyId: string): Promise<string> {
  const [row] = await tx.select({ timezone: agencies.timezone }).from(agencies).where(eq(agencies.id, agencyId));
  return row?.timezone ?? AGENCY_TIMEZONE_FALLBACK;
}
