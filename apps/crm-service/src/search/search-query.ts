import { z } from 'zod';

/**
 * Query of `GET /api/search`, as the route list in contracts declares it inline (contracts
 * exports no named schema for it yet); trimmed here so "  acm " searches for "acm".
 */
export const SearchQuery = z.object({
  q: z.string().trim().max(200),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type SearchQuery = z.infer<typeof SearchQuery>;
