import { Router } from 'express';
import { ChangePasswordBody, PasswordResetBody, PasswordResetRequestBody } from '@atelier/contracts';
import { validate } from '@atelier/platform';
import { requireAuth } from '../identity/authenticate.js';
import { requestContext } from '../identity/client.js';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { changePassword, requestPasswordReset, resetPassword } from './password-service.js';

export function passwordRoutes(deps: IdentityDeps): Router {
  const r = Router();

  r.post('/api/auth/password', async (req, res) => {
    const { identity } = requireAuth(res);
    await changePassword(deps, identity, validate(ChangePasswordBody, req.body));
    res.status(204).end();
  });

  r.post('/api/auth/password-reset', async (req, res) => {
    await requestPasswordReset(deps, validate(PasswordResetRequestBody, req.body).email, requestContext(req));
    res.status(202).end();
  });

  r.post('/api/auth/password-reset/:token', async (req, res) => {
    const { password } = validate(PasswordResetBody, req.body);
    await resetPassword(deps, String(req.params.token), password, requestContext(req));
    res.status(204).end();
  });

  return r;
}
