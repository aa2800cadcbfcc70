import { Router } from 'express';
import { ApplyRateBody, CreateRateCardBody, RateCardListQuery, UpdateRateCardBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, uuidParam, validate } from '@atelier/platform';
import type { TimeDeps } from '../time-entries/time-entry-service.js';
import { toRateCardDto } from './rate-card-mapper.js';
import { applyRateCard, changeRateCard, createRateCard, listRateCards, removeRateCard } from './rate-card-service.js';

export function rateCardRoutes(deps: TimeDeps): Router {
  const r = Router();

  r.get('/api/rates', async (req, res) => {
    const page = await listRateCards(deps.db, principalOf(res), validate(RateCardListQuery, req.query, 'query'));
    res.json({ data: page.rows.map(toRateCardDto), nextCursor: page.nextCursor, total: page.total });
  });

  r.post('/api/rates', async (req, res) => {
    const card = await createRateCard(deps.db, principalOf(res), validate(CreateRateCardBody, jsonBodyOf(req)));
    res.status(201).location(`/api/rates/${card.id}`).json(toRateCardDto(card));
  });

  r.patch('/api/rates/:id', async (req, res) => {
    const who = principalOf(res);
    const id = uuidParam(req.params);
    res.json(toRateCardDto(await changeRateCard(deps.db, who, id, validate(UpdateRateCardBody, jsonBodyOf(req)))));
  });

  r.delete('/api/rates/:id', async (req, res) => {
    await removeRateCard(deps.db, principalOf(res), uuidParam(req.params));
    res.status(204).end();
  });

  r.post('/api/rates/:id/apply', async (req, res) => {
    const who = principalOf(res);
    const id = uuidParam(req.params);
    res.json(await applyRateCard(deps, who, id, validate(ApplyRateBody, jsonBodyOf(req))));
  });

  return r;
}
