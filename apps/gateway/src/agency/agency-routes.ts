import express, { Router } from 'express';
import { MAX_LOGO_BYTES, UpdateAgencyBody } from '@atelier/contracts';
import { principalOf, validate } from '@atelier/platform';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { getAgency, removeAgencyLogo, setAgencyLogo, updateAgencyProfile } from './agency-service.js';

// A little above the limit, so an oversized logo reaches the use case and gets its own code.
const rawImage = express.raw({ type: () => true, limit: MAX_LOGO_BYTES * 2 });

export function agencyRoutes(deps: IdentityDeps): Router {
  const r = Router();

  r.get('/api/agency', async (_req, res) => {
    res.json(await getAgency(deps, principalOf(res)));
  });

  r.patch('/api/agency', async (req, res) => {
    res.json(await updateAgencyProfile(deps, principalOf(res), validate(UpdateAgencyBody, req.body)));
  });

  r.put('/api/agency/logo', rawImage, async (req, res) => {
    const body: unknown = req.body;
    res.json(await setAgencyLogo(deps, principalOf(res), Buffer.isBuffer(body) ? body : Buffer.alloc(0)));
  });

  r.delete('/api/agency/logo', async (_req, res) => {
    await removeAgencyLogo(deps, principalOf(res));
    res.status(204).end();
  });

  return r;
}
