import type { ApiToken } from '@atelier/contracts';
import type { TokenRow } from './token-repository.js';

export const toTokenDto = (r: TokenRow): ApiToken => ({
  id: r.id,
  name: r.name,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  expiresAt: r.expiresAt?.toISOString() ?? null,
});
