import type { CreateTokenBody } from '@atelier/contracts';
import { notFoundError, tenantTx, type Principal } from '@atelier/platform';
import type { IdentityDeps } from '../identity/identity-deps.js';
import type { RequestContext } from '../identity/client.js';
import { newSecret } from '../identity/secrets.js';
import { toTokenDto } from './token-mapper.js';
import { insertToken, listUserTokens, revokeUserToken } from './token-repository.js';

export async function createToken(deps: IdentityDeps, who: Principal, body: CreateTokenBody, ctx: RequestContext) {
  await deps.limiter.hit('auth.token_create_throttled', [
    { key: `token:ip:${ctx.ip}`, limit: deps.config.RATE_LIMIT_TOKEN_CREATE_IP },
    { key: `token:user:${who.userId}`, limit: deps.config.RATE_LIMIT_TOKEN_CREATE_ACCOUNT },
  ]);
  const { token, hash } = newSecret('atl');
  const row = await tenantTx(deps.db, who.agencyId, (tx) =>
    insertToken(tx, { agencyId: who.agencyId, userId: who.userId, name: body.name, tokenHash: hash, expiresInDays: body.expiresInDays }),
  );
  return { id: row.id, name: row.name, token, expiresAt: row.expiresAt?.toISOString() ?? null };
}

export async function listOwnTokens(deps: IdentityDeps, who: Principal) {
  const rows = await tenantTx(deps.db, who.agencyId, (tx) => listUserTokens(tx, who.userId));
  return rows.map(toTokenDto);
}

export async function revokeOwnToken(deps: IdentityDeps, who: Principal, tokenId: string): Promise<void> {
  const revoked = await tenantTx(deps.db, who.agencyId, (tx) => revokeUserToken(tx, who.userId, tokenId));
  if (!revoked) throw notFoundError('token.not_found', 'Token not found');
  deps.auth.evict({ tokenId });
}
