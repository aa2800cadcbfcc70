import type { UnbilledProject } from '@atelier/contracts';
import { Money } from '@atelier/money';
import type { UnbilledRow } from './unbilled-repository.js';

export const toUnbilledProject = (r: UnbilledRow): UnbilledProject => ({
  projectId: r.projectId,
  projectName: r.projectName,
  clientId: r.clientId,
  clientName: r.clientName,
  currency: r.currency,
  minutes: r.minutes,
  amount: Money.round(r.amount, r.currency).amount,
  entryCount: r.entryCount,
});
