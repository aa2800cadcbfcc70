import { z } from 'zod';

export const Uuid = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 UTC timestamp' });
export const IsoDate = z.iso.date().meta({ description: 'YYYY-MM-DD' });
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code')
  .meta({ description: 'ISO 4217 currency code', example: 'USD' });
export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be a 2-letter ISO 3166-1 code')
  .meta({ example: 'US' });
/** Money travels as a decimal string, never a JS float. */
export const Money = z
  .string()
  .regex(/^-?\d{1,13}(\.\d{1,2})?$/, 'must be a decimal string such as "1250.00"')
  .meta({ example: '1250.00' });

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
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;
