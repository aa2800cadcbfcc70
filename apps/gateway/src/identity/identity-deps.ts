import type { Logger } from 'pino';
import type { Db, JobRunner, Mailer } from '@atelier/platform';
import type { GatewayConfig } from '../config.js';
import type { RateLimiter } from '../rate-limits/rate-limiter.js';
import type { Authenticator } from './authenticate.js';

/** What the identity use cases share: the database, the auth cache to evict, limits and mail. */
export interface IdentityDeps {
  db: Db;
  config: GatewayConfig;
  auth: Authenticator;
  limiter: RateLimiter;
  mailer: Mailer;
  jobs: JobRunner;
  logger: Logger;
}
