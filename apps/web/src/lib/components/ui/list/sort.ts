export type SortOrder = 'asc' | 'desc';

/** The choices of an "Order" select in a list's toolbar. */
export const SORT_ORDER_OPTIONS: readonly { value: SortOrder; label: string }[] = [
  { value: 'asc', label: 'Ascending' },
  { value: 'desc', label: 'Descending' },
];
