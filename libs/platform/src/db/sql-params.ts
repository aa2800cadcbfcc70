import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * A whole set of rows as one JSON parameter, for `json_to_recordset`: one round trip and one
 * parameter however many rows (a multi-row VALUES costs a parameter per cell to send and plan).
 */
export const jsonParam = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;

/**
 * `column = any($1::type[])` with the whole list as one parameter, instead of drizzle's
 * `inArray`, whose `in ($1, …, $n)` is a new statement text for every length: Postgres parses and
 * plans each, and past 32 parameters the kit cannot name (prepare) it. An empty list matches
 * nothing, also inside an `or(...)`.
 */
export const anyOf = (column: AnyColumn, values: readonly string[], type: 'text' | 'uuid' = 'uuid'): SQL =>
  sql`${column} = any(${sql.param(values)}::${sql.raw(type)}[])`;
