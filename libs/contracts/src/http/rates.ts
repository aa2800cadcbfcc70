import { z } from 'zod';
import { CurrencyCode, IsoDate, KnownCurrencyCode, Money, NonNegativeMoney, Timestamp, Uuid, amountsInCurrency, listQuery, listResponse } from '../common.js';
import { RateScope } from './time-entries.js';

/**
 * An hourly rate from `effectiveFrom` on, for a scope: the whole agency, a member, a client, a
 * project, or a member on a project. The ids the scope needs are set, the others null.
 */
export const RateCard = z
  .object({
    id: Uuid,
    scope: RateScope,
    clientId: Uuid.nullable(),
    projectId: Uuid.nullable(),
    userId: Uuid.nullable(),
    amount: Money,
    currency: CurrencyCode,
    effectiveFrom: IsoDate,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'RateCard' });
export type RateCard = z.infer<typeof RateCard>;

/** Which of `clientId`, `projectId`, `userId` each scope needs; it must name no other. */
export const RATE_SCOPE_TARGETS: Record<RateScope, readonly ('clientId' | 'projectId' | 'userId')[]> = {
  agency: [],
  member: ['userId'],
  client: ['clientId'],
  project: ['projectId'],
  project_member: ['projectId', 'userId'],
};

const scopeTargets = (value: { scope: RateScope; clientId?: string | null | undefined; projectId?: string | null | undefined; userId?: string | null | undefined }, ctx: z.RefinementCtx) => {
  const needed = RATE_SCOPE_TARGETS[value.scope];
  for (const field of ['clientId', 'projectId', 'userId'] as const) {
    const given = value[field] !== undefined && value[field] !== null;
    if (needed.includes(field) && !given) ctx.addIssue({ code: 'custom', path: [field], message: `is required for scope ${value.scope}` });
    if (!needed.includes(field) && given) ctx.addIssue({ code: 'custom', path: [field], message: `does not apply to scope ${value.scope}` });
  }
};

/**
 * `currency` defaults to the project's (project scopes), the client's (client scope) or the
 * agency's; `effectiveFrom` to today in the agency's timezone.
 */
export const CreateRateCardBody = z
  .object({
    scope: RateScope,
    clientId: Uuid.nullable().optional(),
    projectId: Uuid.nullable().optional(),
    userId: Uuid.nullable().optional(),
    amount: NonNegativeMoney,
    currency: KnownCurrencyCode.optional(),
    effectiveFrom: IsoDate.optional(),
  })
  .strict()
  .superRefine(scopeTargets)
  .superRefine(amountsInCurrency(['amount']))
  .meta({ id: 'CreateRateCardBody' });
export type CreateRateCardBody = z.infer<typeof CreateRateCardBody>;

/** Scope and target are what a card is; to change them, delete it and create another. */
export const UpdateRateCardBody = z
  .object({ amount: NonNegativeMoney.optional(), currency: KnownCurrencyCode.optional(), effectiveFrom: IsoDate.optional() })
  .strict()
  .superRefine(amountsInCurrency(['amount']))
  .meta({ id: 'UpdateRateCardBody' });
export type UpdateRateCardBody = z.infer<typeof UpdateRateCardBody>;

export const RateCardSortField = ['effectiveFrom', 'createdAt', 'amount', 'scope'] as const;
export type RateCardSortField = (typeof RateCardSortField)[number];
export const RateCardListQuery = listQuery(RateCardSortField).extend({
  scope: RateScope.optional(),
  clientId: Uuid.optional(),
  projectId: Uuid.optional(),
  userId: Uuid.optional(),
});
export type RateCardListQuery = z.infer<typeof RateCardListQuery>;
export const RateCardList = listResponse(RateCard);

/**
 * "Apply to unbilled entries": re-resolves the rate of every unbilled entry the card could
 * apply to (on or after `from`, default the card's `effectiveFrom`) and says how many changed.
 */
export const ApplyRateBody = z.object({ from: IsoDate.optional() }).strict().meta({ id: 'ApplyRateBody' });
export type ApplyRateBody = z.infer<typeof ApplyRateBody>;
export const ApplyRateResult = z.object({ updated: z.number().int() }).meta({ id: 'ApplyRateResult' });
export type ApplyRateResult = z.infer<typeof ApplyRateResult>;
