import type { RateCard } from '@atelier/contracts';
import { atScale } from '../time-entries/entry-pricing.js';
import type { RateCardRow } from './rates-repository.js';

export const toRateCardDto = (row: RateCardRow): RateCard => ({
  id: row.id,
  scope: row.scope,
  clientId: row.clientId,
  projectId: row.projectId,
  userId: row.userId,
  amount: atScale(row.amount, row.currency),
  currency: row.currency,
  effectiveFrom: row.effectiveFrom,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
