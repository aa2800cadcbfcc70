import { Router } from 'express';
import { UpdateTimeSettingsBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, validate, type Db } from '@atelier/platform';
import { getTimeSettings, updateTimeSettings } from './time-settings-service.js';

export function timeSettingsRoutes(db: Db): Router {
  const r = Router();
  r.get('/api/settings/time', async (_req, res) => {
    res.json(await getTimeSettings(db, principalOf(res)));
  });
  r.patch('/api/settings/time', async (req, res) => {
    res.json(await updateTimeSettings(db, principalOf(res), validate(UpdateTimeSettingsBody, jsonBodyOf(req))));
  });
  return r;
}
