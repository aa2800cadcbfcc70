import { Router } from 'express';
import { principalOf, uuidParam, type Db } from '@atelier/platform';
import { projectStats } from './project-stats-service.js';

export function projectStatsRoutes(db: Db): Router {
  const r = Router();
  r.get('/api/projects/:id/stats', async (req, res) => {
    res.json(await projectStats(db, principalOf(res), uuidParam(req.params)));
  });
  return r;
}
