import { maxLengths, searchMaxLength } from 'virtual:contract-limits';

/** The longest value the contract's `schema` accepts at `path`, e.g. `maxLength('CreateClientBody', 'name')` → 200. */
export function maxLength(schema: string, path: string): number | undefined {
  return maxLengths[schema]?.[path];
}

/** The longest search a list accepts. */
export const SEARCH_MAX_LENGTH = searchMaxLength ?? undefined;
