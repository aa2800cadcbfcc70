import { sql } from 'drizzle-orm';
import type { Role } from '@atelier/contracts';
import type { Db, Tx } from '@atelier/platform';

export interface ResolvedIdentity {
  userId: string;
  agencyId: string;
  role: Role;
  userName: string;
  userEmail: string;
  agencyName: string;
  sessionId?: string;
  tokenId?: string;
}

type IdentityRow = {
  session_id?: string;
  token_id?: string;
  user_id: string;
  agency_id: string;
  role: Role;
  user_name: string;
  user_email: string;
  agency_name: string;
};

const toIdentity = (r: IdentityRow): ResolvedIdentity => ({
  userId: r.user_id,
  agencyId: r.agency_id,
  role: r.role,
  userName: r.user_name,
  userEmail: r.user_email,
  agencyName: r.agency_name,
  sessionId: r.session_id,
  tokenId: r.token_id,
});

/** A live session (not expired, not idle longer than `idleHours`); moves its last-seen time forward. */
export async function resolveSession(db: Db, tokenHash: string, idleHours: number): Promise<ResolvedIdentity | null> {
  const rows = await db.execute<IdentityRow>(sql`select * from identity.resolve_session(${tokenHash}, make_interval(secs => ${idleHours * 3600}))`);
  return rows[0] ? toIdentity(rows[0]) : null;
}

/** A live API token (not revoked, not expired) of a current member; records its use. */
export async function resolveApiToken(db: Db, tokenHash: string): Promise<ResolvedIdentity | null> {
  const rows = await db.execute<IdentityRow>(sql`select * from identity.resolve_api_token(${tokenHash})`);
  return rows[0] ? toIdentity(rows[0]) : null;
}

/** Every agency the user belongs to, oldest membership first (login picks the first). */
export async function userMemberships(tx: Db | Tx, userId: string) {
  return tx.execute<{ agency_id: string; role: Role; agency_name: string }>(sql`select * from identity.user_memberships(${userId})`);
}
