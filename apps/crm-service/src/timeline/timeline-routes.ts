import { Router } from 'express';
import { TimelineQuery } from '@atelier/contracts';
import { principalOf, validate, type Db } from '@atelier/platform';
import { toTimelineDto } from './timeline-mapper.js';
import { listTimeline } from './timeline-service.js';

export function timelineRoutes(db: Db): Router {
  const r = Router();
  r.get('/api/timeline', async (req, res) => {
    const page = await listTimeline(db, principalOf(res), validate(TimelineQuery, req.query, 'query'));
    res.json({ data: page.rows.map(toTimelineDto), nextCursor: page.nextCursor, total: page.total });
  });
  return r;
}
