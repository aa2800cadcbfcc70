import type { NextFunction, Request, Response } from 'express';
import { rateLimitedError, type Db } from '@atelier/platform';
import type { Authenticated } from '../identity/authenticate.js';
import { addHits } from './rate-limit-repository.js';
import type { Limit } from './rate-limiter.js';

interface Lease {
  remaining: number;
  /** Local time when the database window ends. */
  until: number;
  blocked: boolean;
  /** The reservation in flight, if any: requests that find the lease empty wait for it. */
  reserving?: Promise<void>;
}

/**
 * The per-session / per-token request budget. Counting every request with its own upsert would add
 * a round trip to each proxied call, so a replica reserves a slice of the budget at a time
 * (1/20 of it) and spends it locally; all replicas draw from one counter in Postgres, so together
 * they never exceed the budget, and a replica that stops holds back at most one slice.
 */
export class ApiBudget {
  private readonly leases = new Map<string, Lease>();
  private readonly slice: number;

  constructor(
    private readonly db: Db,
    private readonly limit: Limit,
  ) {
    this.slice = Math.max(1, Math.floor(limit.max / 20));
  }

  async spend(subject: string): Promise<void> {
    for (;;) {
      const now = Date.now();
      let lease = this.leases.get(subject);
      if (!lease || (lease.until <= now && !lease.reserving)) {
        lease = { remaining: 0, until: 0, blocked: false };
        this.leases.set(subject, lease);
      }
      if (lease.blocked) throw rateLimitedError('rate_limit.api_budget', (lease.until - now) / 1000, 'Request budget used up; try again later');
      if (lease.remaining > 0) {
        lease.remaining--;
        return;
      }
      // One reservation at a time per subject. Concurrent requests that each reserved a slice used
      // the whole budget up within a moment (20 slices) and blocked a busy client for the window.
      const current = lease;
      current.reserving ??= this.reserve(subject, current).finally(() => (current.reserving = undefined));
      await current.reserving;
    }
  }

  private async reserve(subject: string, lease: Lease): Promise<void> {
    const { hits, resetInSeconds } = await addHits(this.db, `api:${subject}`, this.limit.windowSeconds, this.slice);
    const granted = Math.max(0, Math.min(this.slice, this.limit.max - (hits - this.slice)));
    lease.until = Date.now() + resetInSeconds * 1000;
    if (granted === 0) lease.blocked = true;
    lease.remaining += granted;
    if (this.leases.size > 50_000) this.dropExpired(Date.now());
  }

  private dropExpired(now: number) {
    for (const [k, l] of this.leases) if (l.until <= now) this.leases.delete(k);
  }

  /** Express middleware for authenticated API requests. */
  middleware() {
    return (_req: Request, res: Response, next: NextFunction) => {
      const auth = res.locals.auth as Authenticated | null;
      const subject = auth ? (auth.identity.sessionId ? `s:${auth.identity.sessionId}` : `t:${auth.identity.tokenId}`) : null;
      if (!subject) return next();
      this.spend(subject).then(() => next(), next);
    };
  }
}
