import { Router } from 'express';
import { principalOf, validate, withTenant, type Db } from '@atelier/platform';
import { toClientDto } from '../clients/client-mapper.js';
import { toContactDto } from '../contacts/contact-mapper.js';
import { searchClients, searchContacts } from './search-queries.js';
import { SearchQuery } from './search-query.js';

/** One box that finds clients and contacts together (the app's quick search). */
export function searchRoutes(db: Db): Router {
  const r = Router();
  r.get('/api/search', async (req, res) => {
    const who = principalOf(res);
    const q = validate(SearchQuery, req.query, 'query');
    if (!q.q) {
      res.json({ clients: [], contacts: [] });
      return;
    }
    const found = await withTenant(db, who.agencyId, async (tx) => ({
      clients: await searchClients(tx, q.q, q.limit),
      contacts: await searchContacts(tx, q.q, q.limit),
    }));
    res.json({ clients: found.clients.map(toClientDto), contacts: found.contacts.map(toContactDto) });
  });
  return r;
}
