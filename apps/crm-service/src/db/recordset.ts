import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * A whole set of rows as one JSON parameter, for `json_to_recordset`: one round trip and one
 * parameter however many rows (a multi-row VALUES costs a parameter per cell to send and plan).
 */
export const jsonParam = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;

/**
 * `column = any($1::type[])` with the whole list as one parameter; undefined for an empty list,
 * so it drops out of an `or(...)`.
 */
export const anyOf = (column: AnyColumn, values: string[], type: 'text' | 'uuid' = 'text'): SQL | undefined =>
  values.length ? sql`${column} = any(${sql.param(values)}::${sql.raw(type)}[])` : undefined;
