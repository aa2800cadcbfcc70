import { isCurrencyCode, minorUnits } from '@atelier/money';
import { z } from 'zod';

export const Uuid = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 UTC timestamp' });
export const IsoDate = z.iso.date().meta({ description: 'YYYY-MM-DD' });
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code')
  .meta({ description: 'ISO 4217 currency code', example: 'USD' });
/** A currency code that `@atelier/money` can count in: what requests must name. */
export const KnownCurrencyCode = z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code').meta({
  description: 'ISO 4217 currency code',
  example: 'USD',
});
export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be a 2-letter ISO 3166-1 code')
  .meta({ example: 'US' });
/**
 * Money travels as a decimal string, never a JS float, beside the ISO 4217 currency it is
 * in. On its own the schema admits up to 4 decimals (the most any currency has, CLF); an
 * object that carries the currency checks each amount against that currency's minor units
 * with `amountsInCurrency` (EUR 2, JPY 0, BHD 3). Where the currency lives elsewhere (an
 * invoice's), the service parses the amount with `Money.of(amount, currency)`.
 */
export const Money = z
  .string()
  .regex(/^-?\d{1,13}(\.\d{1,4})?$/, 'must be a decimal string such as "1250.00"')
  .meta({ description: 'Decimal string with at most as many decimals as the currency has (EUR 2, JPY 0, BHD 3)', example: '1250.00' });

/** An amount a request may set (a budget, a rate): money that is never negative. */
export const NonNegativeMoney = Money.refine((v) => !v.startsWith('-'), 'must not be negative');

/**
 * Hours travel as decimal strings (`"1.25"`): what the API shows is minutes / 60 at two decimals
 * (`hoursOf` in `@atelier/money`), what it accepts (budgets, estimates) has at most two decimals.
 */
export const Hours = z
  .string()
  .regex(/^\d{1,7}(\.\d{1,2})?$/, 'must be a decimal string of hours such as "1.25"')
  .meta({ description: 'Decimal string of hours, at most 2 decimals', example: '1.25' });

/** A percentage as a decimal string of the percentage (`"80"`, `"112.5"`). */
export const Percent = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,4})?$/, 'must be a decimal string of a percentage such as "80"')
  .meta({ description: 'Decimal string of a percentage', example: '80' });

/**
 * A refinement for an object schema whose money fields share one currency field: each
 * amount may have at most the currency's minor units; the issue names the amount's field.
 *
 *   z.object({ amount: Money, currency: KnownCurrencyCode }).superRefine(amountsInCurrency(['amount']))
 */
export const amountsInCurrency =
  <K extends string>(amountFields: readonly K[], currencyField = 'currency') =>
  (value: Partial<Record<K, unknown>> & Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const currency = value[currencyField];
    if (typeof currency !== 'string' || !isCurrencyCode(currency)) return;
    const scale = minorUnits(currency);
    for (const field of amountFields) {
      const amount = value[field];
      if (typeof amount !== 'string') continue;
      const decimals = amount.includes('.') ? amount.length - amount.indexOf('.') - 1 : 0;
      if (decimals > scale) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: scale === 0 ? `must be a whole amount in ${currency}` : `must have at most ${scale} decimals in ${currency}`,
        });
      }
    }
  };

/** Optional free-text field: trimmed, empty string becomes null, bounded length. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const Role = z.enum(['owner', 'admin', 'manager', 'member']);
export type Role = z.infer<typeof Role>;

const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The list conventions of the contract: limit, cursor, sort, order, search. */
export const listQuery = <S extends string>(sortFields: readonly [S, ...S[]]) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
    sort: z.enum(sortFields).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    search: z.string().trim().max(200).optional(),
  });

export const queryBoolean = booleanString;

export const listResponse = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() });

export type ListResponse<T> = { data: T[]; nextCursor: string | null; total: number };

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    /** Stable machine-readable error code (`contact.primary_conflict`); see the OpenAPI description. */
    code: z.string().optional().meta({
      description: 'Stable, machine-readable error code such as `contact.primary_conflict`: key messages on it, never on `detail`. Each operation lists its codes (`x-error-codes`); the API description lists them all.',
    }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;
