import { Router } from 'express';
import { LoginBody, SignupBody, UpdateProfileBody } from '@atelier/contracts';
import { principalOf, validate } from '@atelier/platform';
import { requireAuth } from '../identity/authenticate.js';
import { requestContext } from '../identity/client.js';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { clearSessionCookie, setSessionCookie } from '../identity/session-cookie.js';
import { identityToSessionInfo } from '../users/user-mapper.js';
import { login, logout, signup, updateProfile } from './auth-service.js';

export function authRoutes(deps: IdentityDeps): Router {
  const r = Router();

  r.post('/api/auth/signup', async (req, res) => {
    const { info, sessionToken } = await signup(deps, validate(SignupBody, req.body), requestContext(req));
    setSessionCookie(deps.config, res, sessionToken);
    res.status(201).json(info);
  });

  r.post('/api/auth/login', async (req, res) => {
    const { info, sessionToken } = await login(deps, validate(LoginBody, req.body), requestContext(req));
    setSessionCookie(deps.config, res, sessionToken);
    res.json(info);
  });

  r.post('/api/auth/logout', async (_req, res) => {
    const { identity, via } = requireAuth(res);
    if (via === 'cookie') await logout(deps, identity);
    clearSessionCookie(deps.config, res);
    res.status(204).end();
  });

  r.get('/api/auth/me', (_req, res) => {
    res.json(identityToSessionInfo(requireAuth(res).identity));
  });

  r.patch('/api/auth/me', async (req, res) => {
    const { identity } = requireAuth(res);
    res.json(await updateProfile(deps, { ...principalOf(res), identity }, validate(UpdateProfileBody, req.body)));
  });

  return r;
}
