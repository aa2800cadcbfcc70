import { Router } from 'express';
import { SearchQuery } from '@atelier/contracts';
import { principalOf, validate, type Db } from '@atelier/platform';
import { toClientDto } from '../clients/client-mapper.js';
import { toContactDto } from '../contacts/contact-mapper.js';

import { searchEverything } from './search-service.js';

/** One box that finds clients and contacts together (the app's quick search). */
export function searchRoutes(db: Db): Router {
  const r = Router();
  r.get('/api/search', async (req, res) => {
    const q = validate(SearchQuery, req.query, 'query');
    const found = await searchEverything(db, principalOf(res), q.q, q.limit);
    res.json({ clients: found.clients.map(toClientDto), contacts: found.contacts.map(toContactDto) });
  });
  return r;
}
