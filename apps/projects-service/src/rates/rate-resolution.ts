import type { RateScope } from '@atelier/contracts';

/** Rate card scopes, most specific first: the order in which a card wins over another. */
export const RATE_PRECEDENCE: readonly RateScope[] = ['project_member', 'project', 'client', 'member', 'agency'];

export interface RateCardLike {
  id: string;
  scope: RateScope;
  clientId: string | null;
  projectId: string | null;
  userId: string | null;
  amount: string;
  currency: string;
  /** `YYYY-MM-DD`: the first work day the card applies to. */
  effectiveFrom: string;
}

/** What a time entry is, for the purpose of pricing it. */
export interface RateTarget {
  projectId: string;
  clientId: string;
  userId: string;
  /** The entry's work day, `YYYY-MM-DD`. */
  date: string;
}

/** Whether a card is about this entry at all (its scope's ids all match), whatever its date. */
export function cardApplies(card: RateCardLike, t: RateTarget): boolean {
  switch (card.scope) {
    case 'project_member':
      return card.projectId === t.projectId && card.userId === t.userId;
    case 'project':
      return card.projectId === t.projectId;
    case 'client':
      return card.clientId === t.clientId;
    case 'member':
      return card.userId === t.userId;
    case 'agency':
      return true;
  }
}

const rank = (scope: RateScope) => RATE_PRECEDENCE.indexOf(scope);

/**
 * The card that prices an entry: among the cards that apply and are in force on its date
 * (`effectiveFrom` on or before it; ISO dates compare as strings), the most specific scope, and
 * within it the latest `effectiveFrom`. A project rate that starts next month does not hide the
 * client rate this month. Null when no card applies: the entry has no rate and no amount.
 */
export function resolveRate<C extends RateCardLike>(cards: readonly C[], target: RateTarget): C | null {
  let best: C | null = null;
  for (const card of cards) {
    if (card.effectiveFrom > target.date || !cardApplies(card, target)) continue;
    if (!best) {
      best = card;
      continue;
    }
    const byScope = rank(card.scope) - rank(best.scope);
    // Equal scope and date cannot both be stored (a unique index); the id keeps the choice stable anyway.
    if (byScope < 0 || (byScope === 0 && (card.effectiveFrom > best.effectiveFrom || (card.effectiveFrom === best.effectiveFrom && card.id > best.id)))) best = card;
  }
  return best;
}
