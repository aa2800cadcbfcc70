import { rateLimitedError, type Db } from '@atelier/platform';
import { addHits, clearHits, pruneExpired } from './rate-limit-repository.js';

export interface Limit {
  max: number;
  windowSeconds: number;
}

/** One thing to count: `key` names the limit and its subject (`signup:ip:10.0.0.1`). */
export interface LimitedKey {
  key: string;
  limit: Limit;
}

/**
 * Rate limits counted in Postgres, so every gateway replica agrees. A hit is counted before the
 * work it guards (a password check, a signup) and the decision comes from the same statement, so
 * parallel attempts can never all slip under the limit.
 */
export class RateLimiter {
  private pruner: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db) {}

  /** Counts one attempt against every key; throws `code` (429 with Retry-After) if any is over its limit. */
  async hit(code: string, keys: LimitedKey[], message?: string): Promise<void> {
    const counts = await Promise.all(keys.map(({ key, limit }) => addHits(this.db, key, limit.windowSeconds, 1).then((c) => ({ c, limit }))));
    const over = counts.filter(({ c, limit }) => c.hits > limit.max);
    if (over.length > 0) throw rateLimitedError(code, Math.max(...over.map(({ c }) => c.resetInSeconds)), message);
  }

  async clear(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => clearHits(this.db, k)));
  }

  /** Deletes finished windows now and then; nothing reads them. */
  startPruning(everyMs = 60_000): void {
    this.pruner = setInterval(() => void pruneExpired(this.db).catch(() => {}), everyMs);
    this.pruner.unref();
  }

  stop(): void {
    if (this.pruner) clearInterval(this.pruner);
  }
}
