import { Router, type Response } from 'express';
import { AcceptInvitationBody, CreateInvitationBody } from '@atelier/contracts';
import { principalOf, uuidParam, validate } from '@atelier/platform';
import { requireAuth, type Authenticated } from '../identity/authenticate.js';
import { requestContext } from '../identity/client.js';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { setSessionCookie } from '../identity/session-cookie.js';
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, resendInvitation, revokeInvitation } from './invitation-service.js';

const inviter = (res: Response) => {
  const { identity } = requireAuth(res);
  return { ...principalOf(res), name: identity.userName, agencyName: identity.agencyName };
};

export function invitationRoutes(deps: IdentityDeps): Router {
  const r = Router();

  r.post('/api/auth/invitations', async (req, res) => {
    const who = inviter(res);
    res.status(201).json(await createInvitation(deps, who, validate(CreateInvitationBody, req.body)));
  });

  r.get('/api/auth/invitations', async (_req, res) => {
    const data = await listInvitations(deps, principalOf(res));
    res.json({ data, nextCursor: null, total: data.length });
  });

  r.delete('/api/auth/invitations/:id', async (req, res) => {
    await revokeInvitation(deps, principalOf(res), uuidParam(req.params));
    res.status(204).end();
  });

  r.post('/api/auth/invitations/:id/resend', async (req, res) => {
    const who = inviter(res);
    res.json(await resendInvitation(deps, who, uuidParam(req.params)));
  });

  r.get('/api/auth/invitations/:token', async (req, res) => {
    res.json(await previewInvitation(deps, String(req.params.token), requestContext(req)));
  });

  r.post('/api/auth/invitations/:token/accept', async (req, res) => {
    const body = validate(AcceptInvitationBody, req.body);
    const caller = (res.locals.auth as Authenticated | null) ?? null;
    const { info, sessionToken } = await acceptInvitation(deps, String(req.params.token), body, caller, requestContext(req));
    setSessionCookie(deps.config, res, sessionToken);
    res.status(201).json(info);
  });

  return r;
}
