import { sql } from 'drizzle-orm';
import type { Db } from '@atelier/platform';

export interface WindowCount {
  /** Hits in the current window, including the ones just added. */
  hits: number;
  /** Seconds until the window ends. */
  resetInSeconds: number;
}

/**
 * Adds `cost` hits to the current fixed window of `key` and returns the new total, in one atomic
 * upsert: parallel requests on any replica each see a distinct count, so the decision never races.
 */
export async function addHits(db: Db, key: string, windowSeconds: number, cost: number): Promise<WindowCount> {
  const [row] = await db.execute<{ hits: number; reset_in: number }>(sql`
    insert into identity.rate_limits as r (key, window_start, hits, expires_at)
    select ${key}, w.start, ${cost}, w.start + make_interval(secs => ${windowSeconds})
    from (select to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds}) as start) w
    on conflict (key, window_start) do update set hits = r.hits + excluded.hits
    returning r.hits, ceil(extract(epoch from r.expires_at - now()))::int as reset_in`);
  if (!row) throw new Error('rate limit upsert returned no row');
  return { hits: row.hits, resetInSeconds: Math.max(1, row.reset_in) };
}

/** Forgets the counts of `key` (a successful sign-in clears its failures). */
export async function clearHits(db: Db, key: string): Promise<void> {
  await db.execute(sql`delete from identity.rate_limits where key = ${key}`);
}

export async function pruneExpired(db: Db): Promise<number> {
  const rows = await db.execute(sql`delete from identity.rate_limits where expires_at < now() returning 1`);
  return rows.length;
}
