import { tenantTx, type Db, type Principal } from '@atelier/platform';
import { searchClients, searchContacts } from './search-repository.js';

/** The search box: clients and contacts matching `term`, `limit` of each; an empty term finds nothing. */
export async function searchEverything(db: Db, who: Principal, term: string, limit: number) {
  if (!term) return { clients: [], contacts: [] };
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => ({ clients: await searchClients(tx, term, limit), contacts: await searchContacts(tx, term, limit) }),
    { mode: 'snapshot' },
  );
}
