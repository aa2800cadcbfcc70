import { and, count, eq, gt, lt, sql } from 'drizzle-orm';
import { tooManyRequests, type Db } from '@atelier/platform';
import type { GatewayConfig } from '../config.js';
import { loginFailures } from '../db/schema.js';

/** Failed logins are counted per email and client address in the database, so every gateway replica agrees. */
export class LoginThrottle {
  private readonly windowStart;

  constructor(
    private readonly db: Db,
    private readonly config: GatewayConfig,
  ) {
    this.windowStart = sql`now() - make_interval(mins => ${config.LOGIN_WINDOW_MINUTES})`;
  }

  async assertAllowed(email: string, ip: string) {
    const [row] = await this.db
      .select({ n: count() })
      .from(loginFailures)
      .where(and(eq(loginFailures.email, email), eq(loginFailures.ip, ip), gt(loginFailures.at, this.windowStart)));
    if ((row?.n ?? 0) >= this.config.LOGIN_MAX_FAILURES) throw tooManyRequests('Too many failed sign-in attempts; try again in a few minutes');
  }

  async recordFailure(email: string, ip: string) {
    await this.db.insert(loginFailures).values({ email, ip });
    // Old rows are useless; trimming here keeps the table small without a scheduler.
    await this.db.delete(loginFailures).where(and(eq(loginFailures.email, email), lt(loginFailures.at, this.windowStart)));
  }

  async reset(email: string, ip: string) {
    await this.db.delete(loginFailures).where(and(eq(loginFailures.email, email), eq(loginFailures.ip, ip)));
  }
}
