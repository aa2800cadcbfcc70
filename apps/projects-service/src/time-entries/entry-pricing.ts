import { Money } from '@atelier/money';
import type { RoundingRule } from '@atelier/contracts';
import { resolveRate } from '../rates/rate-resolution.js';
import type { RateCardRow } from './time-entry-repository.js';
import { entryAmount } from './entry-time.js';
import { roundMinutes } from './rounding.js';

/** What is frozen on an entry when it is logged or edited: the rounding of the day and the rate in force on its date. */
export interface EntryPrice {
  roundedMinutes: number;
  hourlyRate: string | null;
  rateSource: RateCardRow['scope'] | null;
  rateCardId: string | null;
  currency: string;
  amount: string;
}

export interface PricingInput {
  projectId: string;
  clientId: string;
  userId: string;
  date: string;
  minutes: number;
  isBillable: boolean;
  /** Used when no card applies. */
  projectCurrency: string;
}

/** A stored amount (NUMERIC with 4 decimals) at the currency's scale: "120.0000" EUR → "120.00". */
export const atScale = (value: string, currency: string): string => Money.round(value, currency).amount;

/**
 * Prices an entry: rounded minutes by the agency's rule, the rate card that applies on its date
 * (most specific scope, latest effective day), and the amount (zero for non-billable time, none
 * without a rate). The card's currency is the entry's; without a card, the project's.
 */
export function priceEntry(input: PricingInput, rule: RoundingRule, cards: readonly RateCardRow[]): EntryPrice {
  const roundedMinutes = roundMinutes(input.minutes, rule);
  const card = resolveRate(cards, { projectId: input.projectId, clientId: input.clientId, userId: input.userId, date: input.date });
  if (!card) return { roundedMinutes, hourlyRate: null, rateSource: null, rateCardId: null, currency: input.projectCurrency, amount: Money.zero(input.projectCurrency).amount };
  const rate = atScale(card.amount, card.currency);
  return {
    roundedMinutes,
    hourlyRate: rate,
    rateSource: card.scope,
    rateCardId: card.id,
    currency: card.currency,
    amount: input.isBillable ? entryAmount(rate, card.currency, roundedMinutes) : Money.zero(card.currency).amount,
  };
}
