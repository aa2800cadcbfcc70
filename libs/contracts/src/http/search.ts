import { z } from 'zod';
import { Client } from './clients.js';
import { Contact } from './contacts.js';

/** Query of `GET /api/search`; trimmed, so "  acm " searches for "acm" (an empty term finds nothing). */
export const SearchQuery = z.object({
  q: z.string().trim().max(200),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchResults = z.object({ clients: z.array(Client), contacts: z.array(Contact) });
export type SearchResults = z.infer<typeof SearchResults>;
