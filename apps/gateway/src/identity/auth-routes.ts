import { Router, type Request } from 'express';
import { sql } from 'drizzle-orm';
import { LoginBody, SignupBody, type Role } from '@atelier/contracts';
import { conflict, pgErrorCode, pinTenant, unauthorized, validate, withTenant, type Db } from '@atelier/platform';
import type { GatewayConfig } from '../config.js';
import { agencies, memberships, users } from '../db/schema.js';
import { requireAuth, type Authenticator } from './authenticate.js';
import { sessionInfo, userMemberships } from './identity-queries.js';
import type { LoginThrottle } from './login-throttle.js';
import { dummyPasswordHash, hashPassword, hashSecret, verifyPassword } from './secrets.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.js';
import { createSession, deleteSession } from './sessions.js';

export const emailTaken = () => conflict('An account with this email already exists', [{ path: 'email', message: 'is already registered' }]);
export const isUniqueViolation = (err: unknown) => pgErrorCode(err) === '23505';

const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export function authRoutes(db: Db, config: GatewayConfig, auth: Authenticator, throttle: LoginThrottle): Router {
  const r = Router();

  r.post('/api/auth/signup', async (req, res) => {
    const body = validate(SignupBody, req.body);
    const passwordHash = await hashPassword(body.password);
    const result = await db
      .transaction(async (tx) => {
        const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${body.email}`);
        if (existing) throw emailTaken();
        const [agency] = await tx.insert(agencies).values({ name: body.agencyName }).returning();
        const [user] = await tx.insert(users).values({ email: body.email, name: body.name, passwordHash }).returning();
        if (!agency || !user) throw new Error('insert returned no row');
        await pinTenant(tx, agency.id);
        await tx.insert(memberships).values({ agencyId: agency.id, userId: user.id, role: 'owner' });
        const token = await createSession(tx, agency.id, user.id, config.SESSION_TTL_HOURS);
        return { agency, user, token };
      })
      .catch((err) => {
        throw isUniqueViolation(err) ? emailTaken() : err;
      });
    setSessionCookie(config, res, result.token);
    res.status(201).json({
      user: { id: result.user.id, name: result.user.name, email: result.user.email },
      agency: { id: result.agency.id, name: result.agency.name },
      role: 'owner' satisfies Role,
    });
  });

  r.post('/api/auth/login', async (req, res) => {
    const body = validate(LoginBody, req.body);
    const ip = clientIp(req);
    await throttle.assertAllowed(body.email, ip);
    const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${body.email}`);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
    const [membership] = user && ok ? await userMemberships(db, user.id) : [];
    if (!user || !ok || !membership) {
      await throttle.recordFailure(body.email, ip);
      throw unauthorized('Invalid email or password');
    }
    await throttle.reset(body.email, ip);
    const token = await withTenant(db, membership.agency_id, (tx) => createSession(tx, membership.agency_id, user.id, config.SESSION_TTL_HOURS));
    setSessionCookie(config, res, token);
    res.json({
      user: { id: user.id, name: user.name, email: user.email },
      agency: { id: membership.agency_id, name: membership.agency_name },
      role: membership.role,
    });
  });

  r.post('/api/auth/logout', async (req, res) => {
    const { identity, via } = requireAuth(res);
    if (via === 'cookie' && identity.sessionId) {
      await withTenant(db, identity.agencyId, (tx) => deleteSession(tx, identity.sessionId!));
      const cookie = readSessionCookie(config, req);
      if (cookie) auth.evict({ tokenHash: hashSecret(cookie) });
    }
    clearSessionCookie(config, res);
    res.status(204).end();
  });

  r.get('/api/auth/me', (_req, res) => {
    res.json(sessionInfo(requireAuth(res).identity));
  });

  return r;
}
